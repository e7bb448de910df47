import "server-only";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/config";
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
