"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { postFile } from "@/app/_components/post-file";
import { documentUrl } from "@/app/(researcher)/requests/[number]/document-url";
import { secondaryButtonClass } from "@/app/(researcher)/requests/[number]/controls";
import { lowerFirst, shortDigest } from "@/app/(researcher)/requests/words";
import { formatBytes } from "@/lib/format";

type Stored = { name: string; size: number; digest: string };
type Status = { state: "idle" } | { state: "uploading"; percent: number } | { state: "done"; message: string } | { state: "failed"; message: string };

/**
 * One document of the request (the SAP, the IRB approval, a collaboration letter): the file as
 * stored (name, size, digest shortened; the whole digest in the title and for screen readers)
 * and a file input that replaces it, sent to POST /api/uploads/access/<n>/<kind>.
 */
export function DocumentUpload(props: { number: string; kind: string; label: string; stored: Stored | undefined; required?: boolean }) {
  const router = useRouter();
  const inputId = useId();
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const url = documentUrl(props.number, props.kind);

  async function upload(file: File) {
    setStatus({ state: "uploading", percent: 0 });
    try {
      const stored = await postFile<Stored>(url, file, (percent) => setStatus({ state: "uploading", percent }));
      setStatus({ state: "done", message: `${stored.name} uploaded.` });
      router.refresh();
    } catch (error) {
      setStatus({ state: "failed", message: error instanceof Error ? error.message : "The upload failed." });
    }
  }

  async function remove() {
    const response = await fetch(url, { method: "DELETE" });
    if (response.ok) {
      setStatus({ state: "done", message: `${props.label} removed.` });
      router.refresh();
    } else setStatus({ state: "failed", message: `The document was not removed (HTTP ${response.status}).` });
  }

  return (
    <div className="flex flex-col gap-2" data-testid={`document-${props.kind}`}>
      <label htmlFor={inputId} className="text-sm font-medium">
        {props.stored ? `Replace the ${lowerFirst(props.label)}` : `${props.label}${props.required ? " (required by a release's conditions)" : ""}`}
      </label>
      {props.stored ? (
        <p className="flex flex-wrap items-center gap-3 text-sm">
          <a href={url} className="text-sky-700 underline dark:text-sky-400">
            {props.stored.name}
          </a>
          <span>{formatBytes(props.stored.size)}</span>
          <span className="font-mono text-xs" title={props.stored.digest}>
            <span className="sr-only">SHA-256 </span>
            {shortDigest(props.stored.digest)}
          </span>
          <button type="button" className={secondaryButtonClass} onClick={() => void remove()} aria-label={`Remove the ${lowerFirst(props.label)}`}>
            Remove
          </button>
        </p>
      ) : null}
      <input
        id={inputId}
        type="file"
        disabled={status.state === "uploading"}
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void upload(file);
          event.target.value = "";
        }}
        className="block w-full max-w-full text-sm"
      />
      {status.state === "uploading" ? (
        <progress max={100} value={status.percent} aria-label={`Upload of the ${lowerFirst(props.label)}`} className="w-full">
          {status.percent} %
        </progress>
      ) : null}
      <p role="status" aria-live="polite" className={status.state === "failed" ? "text-sm text-red-700 dark:text-red-400" : "text-sm"}>
        {status.state === "uploading" ? `Uploading: ${status.percent} %` : status.state === "done" || status.state === "failed" ? status.message : ""}
      </p>
    </div>
  );
}
