import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { magicLinkAdapter } from "@/lib/auth/adapter";
import { getActiveSessionUser } from "@/lib/auth/data";
import { ROLES, type Role } from "@/lib/auth/roles";
import { signInInput } from "@/lib/auth/schema";
import { clientAddress, sendSignInLink, verifyCredentials } from "@/lib/auth/service";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Thrown from `authorize` so a caller can tell "too many attempts" from a wrong password. */
export class RateLimitedSignIn extends CredentialsSignin {
  override code = "rate_limited";
}

/** Thrown from `authorize` for the right password of an account whose address is not confirmed. */
export class UnverifiedSignIn extends CredentialsSignin {
  override code = "unverified";
}

/** A magic link is valid for 15 minutes and once (the token is deleted when used). */
const MAGIC_LINK_MAX_AGE_S = 15 * 60;
/** Sessions last a working day; roles are re-read from the database on every request anyway. */
const SESSION_MAX_AGE_S = 8 * 60 * 60;

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

// Lazy configuration: the environment is read on the first request, not when `next build`
// imports this module.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  adapter: magicLinkAdapter,
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
  providers: [
    Credentials({
      id: "credentials",
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) return null;
        try {
          const user = await verifyCredentials({
            email: parsed.data.email,
            password: parsed.data.password,
            address: clientAddress(request.headers),
          });
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        } catch (error) {
          if (error instanceof AppError && error.code === "RATE_LIMITED") throw new RateLimitedSignIn();
          if (error instanceof AppError && error.code === "FORBIDDEN") throw new UnverifiedSignIn();
          throw error;
        }
      },
    }),
    {
      id: "email",
      type: "email",
      name: "Email",
      maxAge: MAGIC_LINK_MAX_AGE_S,
      // Every link Auth.js mails passes here, also for a direct POST /api/auth/signin/email: the
      // mail limits are counted here (lib/auth/service.ts), and an unknown address gets no mail
      // but the same answer.
      async sendVerificationRequest({ identifier, url, request }) {
        await sendSignInLink({ email: identifier, url, address: clientAddress(request.headers) });
      },
    },
  ],
  callbacks: {
    async jwt({ token, user }) {
      const id = user?.id ?? (typeof token.uid === "string" ? token.uid : undefined);
      if (!id) return null;
      // Roles are re-read on every request so that a new committee seat or a removed account
      // takes effect at once; a deleted account, or one whose address is not confirmed, has none.
      const current = await getActiveSessionUser(id);
      if (!current) return null;
      return { ...token, uid: current.id, email: current.email, name: current.name, roles: current.roles };
    },
    session({ session, token }) {
      const roles = Array.isArray(token.roles) ? token.roles.filter(isRole) : [];
      return {
        ...session,
        user: { ...session.user, id: String(token.uid), email: String(token.email), name: String(token.name), roles },
      };
    },
  },
}));
