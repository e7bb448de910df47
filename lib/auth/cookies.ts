/**
 * The session cookie's name and attributes, shared by the Auth.js configuration and proxy.ts
 * (which only looks whether one is present). Pure: the proxy imports it.
 *
 * Cookies are Secure in production whatever AUTH_URL says (lib/env.ts also refuses an http
 * AUTH_URL there), and outside production whenever the portal is served over https. Secure
 * cookies get prefixes the browser enforces: `__Host-` for the session (Secure, Path=/, no Domain:
 * a sibling subdomain cannot set or overwrite it), and Auth.js's own `__Host-` CSRF and
 * `__Secure-` callback cookies.
 */

export const SESSION_COOKIE = "authjs.session-token";
export const SECURE_SESSION_COOKIE = "__Host-authjs.session-token";

/** Every name a session cookie can have; a token too big for one cookie is split into `<name>.0`, `.1`, … */
export const SESSION_COOKIES = [SESSION_COOKIE, SECURE_SESSION_COOKIE] as const;

/**
 * Auth.js's `useSecureCookies` and `cookies` options. With `useSecureCookies` Auth.js names its
 * other cookies `__Host-authjs.csrf-token` and `__Secure-authjs.callback-url` itself.
 */
export function cookieSettings(opts: { appEnv: string; authUrl: string }) {
  const secure = opts.appEnv === "production" || new URL(opts.authUrl).protocol === "https:";
  return {
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
        options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
      },
    },
  };
}

/** Whether a request carries a session cookie (whole or in chunks). */
export function hasSessionCookie(names: Iterable<string>): boolean {
  for (const name of names) {
    if (SESSION_COOKIES.some((cookie) => name === cookie || name.startsWith(`${cookie}.`))) return true;
  }
  return false;
}
