/**
 * Where to send someone after signing in, from a `callbackUrl` anyone can put in a link. Pure.
 *
 * Browsers are lenient where servers are not: they drop tabs and newlines inside a URL, read `\`
 * as `/`, and treat `//host` as another host, so `/%09/evil.host/` decoded to `/\t/evil.host/`
 * passed a "starts with one slash" check and ended at evil.host. Here the value must be plain
 * printable ASCII, must resolve (as a URL parser resolves it) to the portal's own origin, and the
 * path handed back is the parser's normalised one, re-checked, so `/a/../..//evil` (normalised to
 * `//evil`) is caught too.
 */

const PROBE_ORIGIN = "http://callback.invalid";

/** 2,048: the longest URL the portal's own links produce is a few hundred characters. */
const MAX_LENGTH = 2048;

/** Printable ASCII except space and backslash; the portal's own paths are percent-encoded. */
const PLAIN = /^[\x21-\x5b\x5d-\x7e]+$/;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function isNetworkPath(path: string): boolean {
  return path.startsWith("//") || path.startsWith("/\\");
}

/**
 * @param value a path ("/orgs/acme?tab=x") or an absolute URL on `origin`
 * @param fallback returned for anything else (absent, malformed, another host, a scheme)
 * @param origin the portal's own origin (e.g. "https://trialledger.example"); without it only paths pass
 * @returns a path-absolute reference (`/…`) that no browser resolves to another host
 */
export function safeCallbackPath(value: unknown, fallback = "/dashboard", origin?: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH || !PLAIN.test(value)) return fallback;
  const own = origin ? new URL(origin).origin : PROBE_ORIGIN;
  // A path must start with exactly one slash; an absolute URL must name the portal's origin.
  if (value.startsWith("/")) {
    if (isNetworkPath(value)) return fallback;
  } else if (!origin || !value.toLowerCase().startsWith(`${own.toLowerCase()}/`)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, own);
  } catch {
    return fallback;
  }
  if (url.origin !== own) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Percent-encoded tricks: a proxy or a later decode must not find `//host`, `/\host` or controls.
  const plain = decoded(path);
  const plainPath = decoded(url.pathname);
  if (plain === null || plainPath === null || CONTROL.test(plain) || isNetworkPath(plainPath) || isNetworkPath(path)) return fallback;
  return path;
}
