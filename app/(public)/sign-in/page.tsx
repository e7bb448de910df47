import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageTitle } from "@/app/_components/field";
import { SignInForms } from "@/app/(public)/sign-in/sign-in-forms";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { currentSession } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

/** Auth.js sends people here with ?error=… when a magic link was used up or expired. */
const ERRORS: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  CredentialsSignin: "That email and password do not match an account.",
  // A link request refused by the mail limits (lib/auth/service.ts sendSignInLink).
  EmailSignin: "We could not send a sign-in link just now. Please wait a few minutes and try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl, "/dashboard", env().authUrl);
  if (await currentSession()) redirect(callbackUrl);
  const notice = params.error ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.") : undefined;
  return (
    <>
      <PageTitle lead="For sponsors, committee members, researchers and administrators.">Sign in</PageTitle>
      <SignInForms callbackUrl={callbackUrl} notice={notice} />
    </>
  );
}
