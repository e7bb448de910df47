"use client";

import { useActionState, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { signUpAction } from "@/lib/auth/actions";
import type { ActionResult } from "@/lib/handler";

type AccountType = "SPONSOR" | "RESEARCHER";
/** What the person typed, given back to the fields after a refused submission (never the password). */
type Entered = { name: string; email: string; institution: string; accountType: AccountType };
type State = { result: ActionResult<unknown> | null; entered: Entered };

const ACCOUNT_TYPES: Array<[AccountType, string]> = [
  ["SPONSOR", "staff of a trial sponsor or site"],
  ["RESEARCHER", "a researcher who wants to use trial data"],
];

const EMPTY: Entered = { name: "", email: "", institution: "", accountType: "SPONSOR" };

function enteredIn(form: FormData): Entered {
  const text = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  return {
    name: text("name"),
    email: text("email"),
    institution: text("institution"),
    accountType: text("accountType") === "RESEARCHER" ? "RESEARCHER" : "SPONSOR",
  };
}

/**
 * React resets a form after its action returns, to each field's default. The defaults are what was
 * submitted, so a refused sign-up keeps the name, email, institution and "I am" choice; before,
 * they were cleared and "I am" fell back to sponsor staff, so a researcher who retyped the cleared
 * fields signed up as sponsor staff (issue 8, point 8). The password is typed again.
 */
export function SignUpForm() {
  const [state, formAction, pending] = useActionState<State, FormData>(
    async (previous, form) => ({ result: await signUpAction(previous.result, form), entered: enteredIn(form) }),
    { result: null, entered: EMPTY },
  );
  const { entered } = state;
  const [type, setType] = useState<AccountType>(EMPTY.accountType);
  const error = state.result && !state.result.ok ? state.result.error : undefined;
  return (
    <form action={formAction} className="flex max-w-md flex-col gap-4" noValidate>
      <FormMessage error={error?.message} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">I am</legend>
        {ACCOUNT_TYPES.map(([value, label]) => (
          <label key={value} className="flex items-center gap-2">
            <input type="radio" name="accountType" value={value} defaultChecked={entered.accountType === value} onChange={() => setType(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <Field name="name" label="Full name" autoComplete="name" required defaultValue={entered.name} errors={error?.fieldErrors?.name} />
      <Field name="email" label="Email" type="email" autoComplete="email" required defaultValue={entered.email} errors={error?.fieldErrors?.email} />
      {type === "RESEARCHER" ? (
        <Field
          name="institution"
          label="Institution"
          autoComplete="organization"
          required
          defaultValue={entered.institution}
          errors={error?.fieldErrors?.institution}
        />
      ) : null}
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters, not a common password. A few unrelated words make a strong one."
        errors={error?.fieldErrors?.password}
      />
      <SubmitButton pending={pending}>Create account</SubmitButton>
    </form>
  );
}
