"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { inviteMemberAction } from "@/lib/orgs/actions";
import type { ActionResult } from "@/lib/handler";

type Invited = { link: string; email: string; expiresAt: string };

export function InviteForm({ orgId }: { orgId: string }) {
  const [state, formAction, pending] = useActionState<ActionResult<Invited> | null, FormData>(inviteMemberAction, null);
  const error = state && !state.ok ? state.error : undefined;
  return (
    <form action={formAction} className="flex max-w-md flex-col gap-4" noValidate>
      <FormMessage
        error={error && !error.fieldErrors ? error.message : undefined}
        success={
          state?.ok ? (
            <>
              <p>Invitation for {state.data.email} created. Send them this link (it works once, for 7 days):</p>
              <p className="mt-2 break-all font-mono text-xs" data-testid="invite-link">{state.data.link}</p>
            </>
          ) : undefined
        }
      />
      <input type="hidden" name="orgId" value={orgId} />
      <Field name="email" label="Email of the person to invite" type="email" required errors={error?.fieldErrors?.email} />
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium">Role</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="role" value="MEMBER" defaultChecked /> Member
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="role" value="ADMIN" /> Administrator
        </label>
      </fieldset>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="committee" value="true" /> Seat on the data-access committee
      </label>
      <SubmitButton pending={pending}>Create invitation</SubmitButton>
    </form>
  );
}
