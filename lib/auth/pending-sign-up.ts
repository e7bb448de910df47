import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { PendingSignUp } from "@/lib/auth/mutations";

/**
 * Set while sign-up asks Auth.js for a confirmation link (lib/auth/service.ts registerAccount):
 * the adapter's createVerificationToken stores it with the link's token, so the link applies
 * this sign-up and no other; and sendSignInLink knows the mail was counted already and that an
 * unconfirmed address gets its confirmation mail.
 */
export const signUpBeingConfirmed = new AsyncLocalStorage<PendingSignUp>();
