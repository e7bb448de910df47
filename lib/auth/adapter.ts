import "server-only";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import { findUserById, findUserIdByEmail } from "@/lib/auth/data";
import { createVerificationToken, markEmailVerified, takeVerificationToken } from "@/lib/auth/mutations";
import { signUpBeingConfirmed } from "@/lib/auth/pending-sign-up";

function toAdapterUser(user: { id: string; email: string; name: string; emailVerified: Date | null }): AdapterUser {
  return { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified };
}

/**
 * The part of an Auth.js adapter that magic links need. Sessions are JWTs (the password provider
 * requires them), so no session methods. Magic links only sign in existing accounts: creating
 * accounts goes through sign-up, where the person says whether they are sponsor staff or a
 * researcher, so `createUser` refuses.
 */
export const magicLinkAdapter: Adapter = {
  async createUser() {
    throw new Error("Accounts are created through sign-up, not by magic link.");
  },
  async getUser(id) {
    const user = await findUserById(id);
    return user ? toAdapterUser(user) : null;
  },
  async getUserByEmail(email) {
    const user = await findUserIdByEmail(email.toLowerCase());
    return user ? toAdapterUser(user) : null;
  },
  async getUserByAccount() {
    return null;
  },
  async updateUser(user) {
    if (user.emailVerified) await markEmailVerified(user.id);
    const found = await findUserById(user.id);
    if (!found) throw new Error(`user ${user.id} vanished during sign-in`);
    return toAdapterUser(found);
  },
  async linkAccount() {
    throw new Error("TrialLedger links no external accounts.");
  },
  // A sign-up's confirmation link carries that sign-up (lib/auth/pending-sign-up.ts), applied
  // when the link is followed, in the transaction that confirms the address.
  async createVerificationToken(token) {
    return createVerificationToken(token, signUpBeingConfirmed.getStore());
  },
  async useVerificationToken({ identifier, token }) {
    return takeVerificationToken(identifier, token);
  },
};
