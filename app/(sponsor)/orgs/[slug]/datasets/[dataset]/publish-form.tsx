"use client";

import { useState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { SignatureFields } from "@/app/(sponsor)/orgs/[slug]/trials/signature-fields";
import { newReleaseAction, publishReleaseAction } from "@/lib/datasets/actions";

/**
 * Publishing is a signed act: the sponsor re-enters their password under the exact meaning the
 * server checks and the log records. `basedOnUpdatedAt` is the draft as shown: an edit made in
 * another tab since then refuses the publication rather than publishing what was not reviewed.
 */
export function PublishForm(props: { datasetNumber: string; release: number; meaning: string; basedOnUpdatedAt: string; signer: { name: string; email: string }; problems: string[] }) {
  const publish = useDraftAction(publishReleaseAction);
  const [password, setPassword] = useState("");
  const fe = publish.error?.fieldErrors;
  if (props.problems.length > 0) {
    return (
      <div className="flex flex-col gap-2">
        <p>Release {props.release} cannot be published yet:</p>
        <ul className="list-disc pl-6" data-testid="publication-problems">
          {props.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        publish.submit({ datasetNumber: props.datasetNumber, basedOnUpdatedAt: props.basedOnUpdatedAt, signature: { password, meaning: props.meaning } });
      }}
    >
      <FormMessage error={publish.error && !fe?.["signature.password"] ? publish.error.message : undefined} success={publish.done ? `Release ${props.release} published.` : undefined} />
      <SignatureFields meaning={props.meaning} signer={props.signer} password={password} onPassword={setPassword} error={fe?.["signature.password"]?.join(" ")} />
      <SubmitButton pending={publish.pending}>Sign and publish release {props.release}</SubmitButton>
    </form>
  );
}

export function NewReleaseButton(props: { datasetNumber: string; next: number }) {
  const start = useDraftAction(newReleaseAction);
  return (
    <div className="flex flex-col gap-2">
      <FormMessage error={start.error?.message} />
      <button
        type="button"
        disabled={start.pending}
        onClick={() => start.submit({ datasetNumber: props.datasetNumber })}
        className="self-start rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
      >
        Start release {props.next}
      </button>
    </div>
  );
}
