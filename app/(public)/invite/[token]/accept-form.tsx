"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { acceptInviteAction } from "@/lib/orgs/actions";
import type { ActionResult } from "@/lib/handler";

export function AcceptInviteForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(acceptInviteAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <FormMessage error={state && !state.ok ? state.error.message : undefined} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton pending={pending}>Accept the invitation</SubmitButton>
    </form>
  );
}
