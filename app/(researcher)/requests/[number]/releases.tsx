"use client";

import { useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { secondaryButtonClass } from "@/app/(researcher)/requests/[number]/controls";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { addReleaseAction, removeReleaseAction } from "@/lib/access/actions";

export function RemoveReleaseButton({ number, release }: { number: string; release: string }) {
  const { pending, error, submit } = useDraftAction(removeReleaseAction);
  return (
    <>
      <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => submit({ number, release })} aria-label={`Remove release ${release}`}>
        Remove
      </button>
      {error ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error.message}
        </span>
      ) : null}
    </>
  );
}

/** Adds another release of the same sponsor, by its reference (dataset number/release). */
export function AddReleaseForm({ number }: { number: string }) {
  const { pending, error, done, submit } = useDraftAction(addReleaseAction);
  const [release, setRelease] = useState("");
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit({ number, release: release.trim() });
      }}
    >
      <FormMessage error={error && !error.fieldErrors?.release ? error.message : undefined} success={done ? "Release added." : undefined} />
      <Field
        name="release"
        id="request-add-release"
        label="Add a release of the same sponsor"
        hint="The dataset number and release, like TLR-2026-00001.D1/1 (shown on each dataset's page)."
        value={release}
        onChange={(e) => setRelease(e.target.value)}
        errors={error?.fieldErrors?.release}
      />
      <div>
        <SubmitButton pending={pending}>Add the release</SubmitButton>
      </div>
    </form>
  );
}
