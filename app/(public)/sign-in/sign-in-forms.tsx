"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { requestMagicLinkAction, signInAction } from "@/lib/auth/actions";
import type { ActionResult } from "@/lib/handler";

type State = ActionResult<unknown> | null;

export function SignInForms({ callbackUrl, notice }: { callbackUrl: string; notice?: string | undefined }) {
  const [passwordState, passwordAction, passwordPending] = useActionState<State, FormData>(signInAction, null);
  const [linkState, linkAction, linkPending] = useActionState<State, FormData>(requestMagicLinkAction, null);
  const pwError = passwordState && !passwordState.ok ? passwordState.error : undefined;
  const linkError = linkState && !linkState.ok ? linkState.error : undefined;
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <form action={passwordAction} className="flex flex-col gap-4" aria-labelledby="password-heading" noValidate>
        <h2 id="password-heading" className="text-lg font-semibold">
          With your password
        </h2>
        <FormMessage error={pwError?.message ?? notice} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field name="email" label="Email" type="email" autoComplete="email" required errors={pwError?.fieldErrors?.email} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={pwError?.fieldErrors?.password}
        />
        <SubmitButton pending={passwordPending}>Sign in</SubmitButton>
      </form>
      <form action={linkAction} className="flex flex-col gap-4" aria-labelledby="link-heading" noValidate>
        <h2 id="link-heading" className="text-lg font-semibold">
          With a link by email
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">We send a sign-in link that works once, for 15 minutes.</p>
        <FormMessage error={linkError?.message} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field name="email" id="magic-email" label="Email" type="email" autoComplete="email" required errors={linkError?.fieldErrors?.email} />
        <SubmitButton pending={linkPending}>Email me a link</SubmitButton>
      </form>
      <p className="text-sm md:col-span-2">
        No account yet? <Link href="/sign-up" className="underline">Create one</Link>. Participants do not need an account.
      </p>
    </div>
  );
}
