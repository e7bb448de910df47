"use client";

import { useActionState, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { signUpAction } from "@/lib/auth/actions";
import type { ActionResult } from "@/lib/handler";

export function SignUpForm() {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(signUpAction, null);
  const [type, setType] = useState<"SPONSOR" | "RESEARCHER">("SPONSOR");
  const error = state && !state.ok ? state.error : undefined;
  return (
    <form action={formAction} className="flex max-w-md flex-col gap-4" noValidate>
      <FormMessage error={error?.message} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">I am</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="accountType" value="SPONSOR" checked={type === "SPONSOR"} onChange={() => setType("SPONSOR")} />
          staff of a trial sponsor or site
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="accountType" value="RESEARCHER" checked={type === "RESEARCHER"} onChange={() => setType("RESEARCHER")} />
          a researcher who wants to use trial data
        </label>
      </fieldset>
      <Field name="name" label="Full name" autoComplete="name" required errors={error?.fieldErrors?.name} />
      <Field name="email" label="Email" type="email" autoComplete="email" required errors={error?.fieldErrors?.email} />
      {type === "RESEARCHER" ? (
        <Field name="institution" label="Institution" autoComplete="organization" required errors={error?.fieldErrors?.institution} />
      ) : null}
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters. A few unrelated words make a strong one."
        errors={error?.fieldErrors?.password}
      />
      <SubmitButton pending={pending}>Create account</SubmitButton>
    </form>
  );
}
