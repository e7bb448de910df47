/**
 * Network addresses: which client sent a request, and whether an address or host is loopback.
 * Pure, so the rules are unit-tested directly.
 *
 * Where the client address comes from. Next.js route handlers and server actions never see the
 * socket; `next start` only fills `x-forwarded-for` with the socket address when the request has
 * no such header (`req.headers['x-forwarded-for'] ??= socket.remoteAddress`, next 16.4
 * dist/server/base-server.js), so a client that sends its own header hides its address completely.
 * The portal's server (scripts/serve.ts) therefore always *appends* the socket address, as a
 * reverse proxy does. The right-most entry is then the peer the portal's own socket saw, which no
 * client can forge; each trusted proxy in front appends one more, so with `trustedHops` proxies the
 * client is the entry `trustedHops` places from the right.
 */

/**
 * Set by scripts/serve.ts in its own process before Next.js loads, to say that every request
 * carries the socket address as the right-most x-forwarded-for entry. Not configuration: under a
 * plain `next start` it is absent and development-only routes stay closed (lib/dev/access.ts).
 */
export const PEER_FROM_SOCKET_FLAG = "TRIALLEDGER_PEER_FROM_SOCKET";

/** The header scripts/serve.ts appends the socket address to. */
export const FORWARDED_FOR = "x-forwarded-for";

/** Appends `peer` to an incoming `x-forwarded-for` value (what scripts/serve.ts does per request). */
export function appendForwardedFor(existing: string | string[] | undefined, peer: string | undefined): string {
  const before = (Array.isArray(existing) ? existing.join(",") : (existing ?? "")).trim();
  const self = peer ?? "unknown";
  return before ? `${before}, ${self}` : self;
}

/**
 * The client's address: the entry `trustedHops` places from the right of `x-forwarded-for`.
 * With fewer entries than that (a request that bypassed the proxies), the left-most one: the
 * deployment must make the proxy the only way in (docs/security/accounts.md).
 * Without the header at all (a request that did not pass through scripts/serve.ts, e.g. a test),
 * "unknown": one shared bucket, never an address the client chose.
 */
export function clientAddressFrom(headers: Headers, trustedHops: number): string {
  const entries = (headers.get(FORWARDED_FOR) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return "unknown";
  const index = Math.max(0, entries.length - 1 - trustedHops);
  return normaliseAddress(entries[index] ?? "unknown");
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) → `127.0.0.1`; brackets removed. */
export function normaliseAddress(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare.startsWith("::ffff:") && bare.includes(".") ? bare.slice("::ffff:".length) : bare;
}

/** 127.0.0.0/8 and ::1 (also as IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const bare = normaliseAddress(address);
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const octets = bare.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** A listening host or a Host header's name that only this machine reaches: `localhost` or a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackAddress(name);
}

/** The host name of a Host header value (`localhost:3000` → `localhost`, `[::1]:3000` → `::1`). */
export function hostOfHeader(value: string): string {
  const trimmed = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(trimmed);
  if (bracketed?.[1]) return bracketed[1];
  return trimmed.replace(/:\d+$/, "");
}
