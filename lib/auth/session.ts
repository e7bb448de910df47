import "server-only";
import { getToken } from "next-auth/jwt";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/config";
import { cookieSettings } from "@/lib/auth/cookies";
import { env } from "@/lib/env";
import { ROLES, type Access, type SessionUser, decideAccess } from "@/lib/auth/roles";

/** The signed-in user of the current request, or null. */
export async function currentSession(): Promise<SessionUser | null> {
  const session = await auth();
  const user = session?.user as Partial<SessionUser> | undefined;
  if (!user?.id || !user.email) return null;
  const roles = (user.roles ?? []).filter((r): r is SessionUser["roles"][number] => ROLES.includes(r));
  return { id: user.id, email: user.email, name: user.name ?? "", roles };
}

/**
 * The server-side session id (`sid`) in the current request's session token, for the actions that
 * end a user's *other* sessions and keep this one. It says nothing about whether the session is
 * live: `currentSession()` decides that. Undefined without a readable token.
 */
export async function currentSessionId(): Promise<string | undefined> {
  const config = env();
  const { useSecureCookies, cookies } = cookieSettings({ appEnv: config.APP_ENV, authUrl: config.authUrl });
  const token = await getToken({
    // Only the cookie: getToken would also read an Authorization header, which Auth.js itself ignores.
    req: { headers: { cookie: (await headers()).get("cookie") ?? "" } },
    secret: config.AUTH_SECRET,
    secureCookie: useSecureCookies,
    cookieName: cookies.sessionToken.name,
  });
  return typeof token?.sid === "string" ? token.sid : undefined;
}

/**
 * For pages: the signed-in user holding `access`, or a redirect — to sign-in when there is no
 * session, to /forbidden when the roles do not fit.
 */
export async function requirePageAccess(access: Exclude<Access, "public">, path: string): Promise<SessionUser> {
  const session = await currentSession();
  const decision = decideAccess(access, session);
  if (!decision.ok) {
    if (decision.code === "UNAUTHENTICATED") redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
    redirect("/forbidden");
  }
  return session as SessionUser;
}
