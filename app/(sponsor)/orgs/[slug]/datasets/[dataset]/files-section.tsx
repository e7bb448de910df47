"use client";

import { useState } from "react";
import { FormMessage } from "@/app/_components/field";
import { ResumableUpload } from "@/app/_components/resumable-upload";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { saveFile } from "@/app/_components/save-file";
import { addFileAction, provenPseudonymsAction, removeFileAction, validateDraftAction } from "@/lib/datasets/actions";

const buttonClass = "rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";

/**
 * Adds files to the draft: each is uploaded (resumable: an interrupted upload continues where it
 * stopped), then added under its name and, when it is CSV, TSV or NDJSON, validated at once
 * against the dictionary while the server streams it. The reports are rendered by the page.
 */
export function AddFiles(props: { datasetNumber: string; orgId: string }) {
  const add = useDraftAction(addFileAction);
  const [added, setAdded] = useState<string | undefined>();
  return (
    <div className="flex flex-col gap-3">
      <FormMessage
        error={add.error?.message}
        success={added && add.done ? `“${added}” added${(add.done as { validated?: boolean }).validated ? " and validated" : ""}.` : undefined}
      />
      <ResumableUpload
        orgId={props.orgId}
        label="Add a data file (CSV, TSV or NDJSON) or a document"
        onUploaded={({ name, digest }) => {
          setAdded(name);
          add.submit({ datasetNumber: props.datasetNumber, name, digest });
        }}
      />
      {add.pending ? <p role="status">Adding and validating the file…</p> : null}
    </div>
  );
}

export function RemoveFileButton(props: { datasetNumber: string; fileId: string; name: string }) {
  const remove = useDraftAction(removeFileAction);
  return (
    <>
      <button type="button" className={buttonClass} disabled={remove.pending} onClick={() => remove.submit({ datasetNumber: props.datasetNumber, fileId: props.fileId })} aria-label={`Remove ${props.name}`}>
        Remove
      </button>
      {remove.error ? <span role="alert" className="text-sm text-red-700 dark:text-red-400">{remove.error.message}</span> : null}
    </>
  );
}

export function ValidateAgainButton(props: { datasetNumber: string }) {
  const validate = useDraftAction(validateDraftAction);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" className={buttonClass} disabled={validate.pending} onClick={() => validate.submit({ datasetNumber: props.datasetNumber })}>
        {validate.pending ? "Validating…" : "Validate all files again"}
      </button>
      <span role="status">{validate.done ? `${validate.done.validated} file(s) validated.` : ""}</span>
      {validate.error ? <span role="alert" className="text-sm text-red-700 dark:text-red-400">{validate.error.message}</span> : null}
    </div>
  );
}

/** Downloads the trial's proven pseudonyms as CSV, made from the server's answer on the device. */
export function PseudonymsDownload(props: { datasetNumber: string }) {
  const [state, setState] = useState<{ error?: string; count?: number }>({});
  const [pending, setPending] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={buttonClass}
        disabled={pending}
        onClick={() => {
          setPending(true);
          void provenPseudonymsAction({ datasetNumber: props.datasetNumber }).then((result) => {
            setPending(false);
            if (!result.ok) return setState({ error: result.error.message });
            saveFile(result.data.name, "text/csv", result.data.csv);
            setState({ count: result.data.count });
          });
        }}
      >
        Download the proven pseudonyms (CSV)
      </button>
      <span role="status">{state.count !== undefined ? `${state.count} pseudonym(s) downloaded.` : ""}</span>
      {state.error ? <span role="alert" className="text-sm text-red-700 dark:text-red-400">{state.error}</span> : null}
    </div>
  );
}
