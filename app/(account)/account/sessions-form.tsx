"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { signOutEverywhereAction } from "@/lib/auth/actions";
import type { ActionResult } from "@/lib/handler";

/** "Sign out everywhere else": ends every session of the account but this browser's. */
export function SessionsForm({ others, idleMinutes, absoluteHours }: { others: number; idleMinutes: number; absoluteHours: number }) {
  const [state, formAction, pending] = useActionState<ActionResult<{ ended: number }> | null, FormData>(signOutEverywhereAction, null);
  const ended = state?.ok ? state.data.ended : undefined;
  return (
    <form action={formAction} className="flex max-w-md flex-col gap-4">
      <FormMessage
        error={state && !state.ok ? state.error.message : undefined}
        success={ended === undefined ? undefined : `Signed out everywhere else (${ended} ${ended === 1 ? "session" : "sessions"} ended).`}
      />
      <p data-testid="other-sessions">
        {ended !== undefined || others === 0
          ? "You are signed in only here."
          : `You are also signed in ${others === 1 ? "in one other place" : `in ${others} other places`}.`}
      </p>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        A session ends after {idleMinutes} minutes without use and {absoluteHours} hours after signing in. Changing your
        password also signs you out everywhere else.
      </p>
      <SubmitButton pending={pending}>Sign out everywhere else</SubmitButton>
    </form>
  );
}
