"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/config";
import { changePasswordInput, magicLinkInput, safeCallbackPath, signInInput, signUpInput } from "@/lib/auth/schema";
import { changePassword, clientAddress, signInChecks, signUp } from "@/lib/auth/service";
import { AppError } from "@/lib/errors";
import { action } from "@/lib/handler";
import { SIGN_IN_LIMITS, assertUnderLimits, consume } from "@/lib/rate-limit/service";

/** Signs in with email and password; on success the page is redirected to `callbackUrl`. */
async function passwordSignIn(email: string, password: string, callbackUrl: string | undefined): Promise<never> {
  const address = clientAddress(await headers());
  // Checked here first so the person gets the wait time; `authorize` checks again for direct posts.
  await assertUnderLimits(signInChecks(email, address));
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      if ((error as { code?: string }).code === "rate_limited") throw new AppError("RATE_LIMITED");
      throw new AppError("UNAUTHENTICATED", "That email and password do not match an account.");
    }
    throw error;
  }
  redirect(safeCallbackPath(callbackUrl));
}

export const signUpAction = action(
  { name: "auth.signUp", access: "public", input: signUpInput },
  async ({ input }) => {
    await signUp(input);
    return passwordSignIn(input.email, input.password, "/dashboard");
  },
);

export const signInAction = action(
  { name: "auth.signIn", access: "public", input: signInInput },
  async ({ input }) => passwordSignIn(input.email, input.password, input.callbackUrl),
);

export const requestMagicLinkAction = action(
  { name: "auth.requestMagicLink", access: "public", input: magicLinkInput },
  async ({ input }) => {
    const address = clientAddress(await headers());
    await consume(SIGN_IN_LIMITS.magicLink, input.email);
    await consume(SIGN_IN_LIMITS.address, address);
    await signIn("email", { email: input.email, redirect: false, redirectTo: safeCallbackPath(input.callbackUrl) });
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
    await changePassword({ userId: session.id, currentPassword: input.currentPassword, newPassword: input.newPassword });
    return { changed: true };
  },
);
