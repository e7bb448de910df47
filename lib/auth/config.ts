import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import { headers } from "next/headers";
import Credentials from "next-auth/providers/credentials";
import { magicLinkAdapter } from "@/lib/auth/adapter";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { cookieSettings } from "@/lib/auth/cookies";
import { getActiveSessionUser } from "@/lib/auth/data";
import { ROLES, type Role } from "@/lib/auth/roles";
import { signInInput } from "@/lib/auth/schema";
import { clientAddress, sendSignInLink, verifyCredentials } from "@/lib/auth/service";
import { type Env, env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { endSession, resumeSession, startSession } from "@/lib/sessions/service";

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

/** The signing-in client's address for the log, when there is a request to read it from. */
async function requestClientAddress(): Promise<string | undefined> {
  try {
    return clientAddress(await headers());
  } catch {
    return undefined; // called outside a request (tests drive the callbacks directly)
  }
}

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * The Auth.js configuration for `config`. Sessions are JWTs that carry a server-side session id
 * (`sid`, a row of lib/sessions): the row is what sign-out, a password change and "sign out
 * everywhere" delete, and what carries the idle and absolute lifetimes, which a JWT alone cannot
 * enforce (every use would re-sign it for another `maxAge`). `now` is the sessions' clock (tests move it).
 */
export const authConfig = (config: Env, now: () => Date = () => new Date()): NextAuthConfig => ({
  secret: config.AUTH_SECRET,
  trustHost: true,
  ...cookieSettings({ appEnv: config.APP_ENV, authUrl: config.authUrl }),
  // The cookie and the JWT last the absolute lifetime; the idle limit is the session row's, because
  // pages (React Server Components) cannot re-set a cookie, so a JWT expiry would not follow activity.
  session: { strategy: "jwt", maxAge: config.SESSION_ABSOLUTE_HOURS * 3600 },
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
    async jwt({ token, user, account }) {
      let sid: string | undefined;
      let id: string;
      if (user?.id) {
        id = user.id; // signing in (password or magic link): a session row is made below
      } else {
        // A token without a live row is refused: signed out, password changed, idle or too old.
        // Tokens issued before sessions had rows carry no `sid` and are refused too (sign in again).
        if (typeof token.sid !== "string") return null;
        const live = await resumeSession(token.sid, now());
        if (!live) return null;
        id = live.userId;
        sid = token.sid;
      }
      // Roles are re-read on every request so that a new committee seat or a removed account
      // takes effect at once; a deleted account, or one whose address is not confirmed, has none.
      const current = await getActiveSessionUser(id);
      if (!current) return null;
      sid ??= await startSession(current.id, now(), {
        method: account?.provider === "email" ? "email-link" : "password",
        clientAddress: await requestClientAddress(),
      });
      return { ...token, sid, uid: current.id, email: current.email, name: current.name, roles: current.roles };
    },
    // Auth.js's own redirects (magic link, sign-out) follow the same rule as the sign-in form's.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, "/", baseUrl)}`;
    },
    session({ session, token }) {
      const roles = Array.isArray(token.roles) ? token.roles.filter(isRole) : [];
      return {
        ...session,
        user: { ...session.user, id: String(token.uid), email: String(token.email), name: String(token.name), roles },
      };
    },
  },
  events: {
    // Signing out ends the session itself, not only the cookie of the browser that asked.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endSession(sid);
    },
  },
});

// Lazy configuration: the environment is read on the first request, not when `next build`
// imports this module.
export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig(env()));
