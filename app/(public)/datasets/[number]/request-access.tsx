"use client";

import { useState, useTransition } from "react";
import { FormMessage } from "@/app/_components/field";
import { createRequestAction } from "@/lib/access/actions";

/**
 * Starts an access request for the release shown (the latest published one). The action creates
 * the draft and redirects to it; a refusal (e.g. not a researcher account) is shown here.
 */
export function RequestAccessForm({ release }: { release: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          // On success the action redirects to the new draft and there is no result to read.
          const result: Awaited<ReturnType<typeof createRequestAction>> | undefined = await createRequestAction({ releases: [release] });
          if (result && !result.ok) setError(result.error.message);
        });
      }}
    >
      <FormMessage error={error} />
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          aria-describedby="request-access-release"
          className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
        >
          {pending ? "Starting the request…" : "Request access"}
        </button>
        <span id="request-access-release" className="text-sm">
          to release <span className="font-mono">{release}</span>
        </span>
      </div>
    </form>
  );
}
