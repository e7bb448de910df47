"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/handler";
import type { PublicError } from "@/lib/errors";

/**
 * Runs one of the draft's server actions and, once it succeeded, refreshes the page's server data
 * (the draft's state, the reports, what still stops publication) without losing the scroll place.
 */
export function useDraftAction<T>(run: (input: unknown) => Promise<ActionResult<T>>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<PublicError | undefined>();
  const [done, setDone] = useState<T | undefined>();
  const submit = (input: unknown) =>
    startTransition(async () => {
      const result = await run(input);
      if (result.ok) {
        setError(undefined);
        setDone(result.data);
        router.refresh();
      } else {
        setDone(undefined);
        setError(result.error);
      }
    });
  return { pending, error, done, submit };
}
