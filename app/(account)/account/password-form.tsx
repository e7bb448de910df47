"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { changePasswordAction } from "@/lib/auth/actions";
import type { ActionResult } from "@/lib/handler";

export function PasswordForm() {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(changePasswordAction, null);
  const error = state && !state.ok ? state.error : undefined;
  return (
    <form action={formAction} className="flex max-w-md flex-col gap-4" noValidate>
      <FormMessage error={error && !error.fieldErrors ? error.message : undefined} success={state?.ok ? "Your password was changed, and you were signed out everywhere else." : undefined} />
      <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required errors={error?.fieldErrors?.currentPassword} />
      <Field name="newPassword" label="New password" type="password" autoComplete="new-password" required minLength={12} hint="At least 12 characters." errors={error?.fieldErrors?.newPassword} />
      <Field name="confirmPassword" label="New password again" type="password" autoComplete="new-password" required errors={error?.fieldErrors?.confirmPassword} />
      <SubmitButton pending={pending}>Change password</SubmitButton>
    </form>
  );
}
