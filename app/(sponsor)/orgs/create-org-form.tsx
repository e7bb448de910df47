"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { createOrgAction } from "@/lib/orgs/actions";
import type { ActionResult } from "@/lib/handler";

export function CreateOrgForm() {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(createOrgAction, null);
  const error = state && !state.ok ? state.error : undefined;
  return (
    <form action={formAction} className="flex max-w-md flex-col gap-4" noValidate>
      <FormMessage error={error && !error.fieldErrors ? error.message : undefined} />
      <Field name="name" label="Organisation name" required errors={error?.fieldErrors?.name} hint="As it appears in trial registrations." />
      <SubmitButton pending={pending}>Create organisation</SubmitButton>
    </form>
  );
}
