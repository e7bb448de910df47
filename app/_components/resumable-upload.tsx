"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Upload } from "tus-js-client";
import { percentOf, progressText } from "@/app/_components/upload-progress";

/**
 * A dataset file uploaded with the tus protocol to /api/uploads/tus (lib/storage/tus.ts): in 50 MiB
 * requests, with a progress bar, pause and resume; a file whose upload was interrupted (closed tab,
 * lost connection) continues from where the server has it when chosen again, found by its
 * fingerprint in this browser's localStorage (the upload's address only: the server lets nobody
 * but its creator continue it).
 */

/** 50 MiB per PATCH: a dropped connection costs at most that, and proxies' body limits are rarely lower. */
const CHUNK_BYTES = 50 * 1024 * 1024;

type Status = "idle" | "uploading" | "paused" | "done" | "error";

export function ResumableUpload(props: { orgId: string; onUploaded: (file: { name: string; digest: string; size: number }) => void; label?: string }) {
  const { orgId, onUploaded } = props;
  const inputId = useId();
  const upload = useRef<Upload | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<Status>("idle");
  const [sent, setSent] = useState(0);
  const [message, setMessage] = useState("");

  useEffect(() => () => void upload.current?.abort(), []);

  async function start(chosen: File) {
    const next = new Upload(chosen, {
      endpoint: "/api/uploads/tus",
      chunkSize: CHUNK_BYTES,
      // The creating POST carries tus's media type (the route accepts no other body), with the first chunk.
      uploadDataDuringCreation: true,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { orgId, filename: chosen.name },
      // Per organisation: the same file chosen for another organisation is another upload.
      fingerprint: async (f) => ["trialledger", orgId, f.name, f.size, f.lastModified].join("/"),
      removeFingerprintOnSuccess: true,
      onProgress: (bytes) => setSent(bytes),
      onSuccess: ({ lastResponse }) => {
        const result = JSON.parse(lastResponse.getBody()) as { digest: string; size: number };
        setSent(chosen.size);
        setStatus("done");
        setMessage(`${chosen.name} is uploaded.`);
        onUploaded({ name: chosen.name, digest: result.digest, size: result.size });
      },
      onError: (error) => {
        setStatus("error");
        const body = "originalResponse" in error ? error.originalResponse?.getBody() : undefined;
        let reason = "The upload failed. Choose the file again to continue where it stopped.";
        try {
          reason = (JSON.parse(body ?? "") as { error?: { message?: string } }).error?.message ?? reason;
        } catch {
          // not the portal's JSON error: keep the general message
        }
        setMessage(reason);
      },
    });
    upload.current = next;
    const previous = await next.findPreviousUploads();
    if (previous[0]) {
      next.resumeFromPreviousUpload(previous[0]);
      setMessage(`Continuing the earlier upload of ${chosen.name}.`);
    } else setMessage("");
    setSent(0);
    setStatus("uploading");
    next.start();
  }

  const total = file?.size ?? 0;
  const busy = status === "uploading" || status === "paused";
  return (
    <div className="space-y-2">
      <label htmlFor={inputId} className="block text-sm font-medium">
        {props.label ?? "Dataset file"}
      </label>
      <input
        id={inputId}
        type="file"
        disabled={busy}
        onChange={(event) => {
          const chosen = event.target.files?.[0] ?? null;
          setFile(chosen);
          if (chosen) void start(chosen);
        }}
        className="block w-full max-w-full text-sm"
      />
      {file && status !== "idle" ? (
        <div className="space-y-1">
          <div
            role="progressbar"
            aria-label={`Upload of ${file.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percentOf(sent, total)}
            aria-valuetext={progressText(sent, total)}
            className="h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
          >
            <div className="h-full bg-sky-600" style={{ width: `${percentOf(sent, total)}%` }} />
          </div>
          <p className="text-sm tabular-nums">{progressText(sent, total)}</p>
          {status === "uploading" ? (
            <button
              type="button"
              onClick={() => {
                // abort() without terminating: the server keeps what it has, start() continues from there.
                void upload.current?.abort();
                setStatus("paused");
              }}
              className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
            >
              Pause
            </button>
          ) : null}
          {status === "paused" ? (
            <button
              type="button"
              onClick={() => {
                upload.current?.start();
                setStatus("uploading");
              }}
              className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
            >
              Resume
            </button>
          ) : null}
        </div>
      ) : null}
      <p role="status" aria-live="polite" className={status === "error" ? "text-sm text-red-700 dark:text-red-400" : "text-sm"}>
        {status === "paused" ? `Paused. ${message}` : message}
      </p>
    </div>
  );
}
