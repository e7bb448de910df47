"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { signIn, signOut } from "@/lib/auth/config";
import { changePasswordInput, magicLinkInput, signInInput, signUpInput } from "@/lib/auth/schema";
import { UNVERIFIED_MESSAGE, changePassword, clientAddress, registerAccount, signInChecks } from "@/lib/auth/service";
import { currentSessionId } from "@/lib/auth/session";
import { linkRequestError } from "@/lib/auth/link-errors";
import { AppError } from "@/lib/errors";
import { action } from "@/lib/handler";
import { assertMailTransport } from "@/lib/mail/service";
import { SIGN_IN_LIMITS, assertUnderLimits } from "@/lib/rate-limit/service";
import { endOtherSessions } from "@/lib/sessions/service";

/** Signs in with email and password; on success the page is redirected to `callbackUrl`. */
async function passwordSignIn(email: string, password: string, callbackUrl: string | undefined): Promise<never> {
  const address = clientAddress(await headers());
  // Checked here first so the person gets the wait time; `authorize` checks again for direct posts.
  await assertUnderLimits(signInChecks(email, address));
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as { code?: string }).code;
      if (code === "rate_limited") throw new AppError("RATE_LIMITED");
      if (code === "unverified") throw new AppError("FORBIDDEN", UNVERIFIED_MESSAGE);
      throw new AppError("UNAUTHENTICATED", "That email and password do not match an account.");
    }
    throw error;
  }
  redirect(safeCallbackPath(callbackUrl));
}

/**
 * Sign-up answers "check your email" whether or not the address has an account; the mail says
 * which (lib/auth/service.ts registerAccount). The confirmation link is Auth.js's magic link:
 * following it confirms the address and signs the person in.
 */
export const signUpAction = action(
  { name: "auth.signUp", access: "public", input: signUpInput },
  async ({ input }) => {
    assertMailTransport(); // every address alike, before anything is read (registerAccount checks again)
    await registerAccount(input, {
      address: clientAddress(await headers()),
      sendConfirmation: async (email) => {
        try {
          await signIn("email", { email, redirect: false, redirectTo: "/dashboard" });
        } catch (error) {
          // Mapped by its cause (registerAccount refused already when there is no mail transport).
          if (error instanceof AuthError) throw linkRequestError(error);
          throw error;
        }
      },
    });
    redirect(`/sign-in/check-email?for=sign-up&email=${encodeURIComponent(input.email)}`);
  },
);

export const signInAction = action(
  { name: "auth.signIn", access: "public", input: signInInput },
  async ({ input }) => passwordSignIn(input.email, input.password, input.callbackUrl),
);

export const requestMagicLinkAction = action(
  { name: "auth.requestMagicLink", access: "public", input: magicLinkInput },
  async ({ input }) => {
    // Without a mail transport every address gets the same 503, before any limit or lookup: a
    // confirmed address's failed mail must not answer differently from an unknown one's none.
    assertMailTransport();
    // Checked here for the wait time; the mail is counted where it is sent (sendSignInLink), so that
    // a direct POST /api/auth/signin/email counts too.
    await assertUnderLimits([
      [SIGN_IN_LIMITS.magicLink, input.email],
      [SIGN_IN_LIMITS.address, clientAddress(await headers())],
    ]);
    try {
      await signIn("email", { email: input.email, redirect: false, redirectTo: safeCallbackPath(input.callbackUrl) });
    } catch (error) {
      // Auth.js wraps what sendVerificationRequest threw: kept by its cause (lib/auth/link-errors.ts).
      if (error instanceof AuthError) throw linkRequestError(error);
      throw error;
    }
    redirect(`/sign-in/check-email?email=${encodeURIComponent(input.email)}`);
  },
);

export const signOutAction = action(
  // Takes nothing (a form's own React fields are dropped before parsing); anything else is refused.
  { name: "auth.signOut", access: "signed-in", input: z.strictObject({}) },
  async () => {
    await signOut({ redirect: false });
    redirect("/");
  },
);

export const changePasswordAction = action(
  { name: "auth.changePassword", access: "signed-in", input: changePasswordInput },
  async ({ input, session }) => {
    await changePassword({
      userId: session.id,
      currentPassword: input.currentPassword,
      newPassword: input.newPassword,
      keepSessionId: await currentSessionId(),
      clientAddress: clientAddress(await headers()),
    });
    return { changed: true };
  },
);

/** Ends every session of the account but this one: a lost laptop, a shared computer left signed in. */
export const signOutEverywhereAction = action(
  { name: "auth.signOutEverywhere", access: "signed-in", input: z.strictObject({}) },
  async ({ session }) => ({ ended: await endOtherSessions(session.id, await currentSessionId()) }),
);
