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

/** The non-empty entries of `x-forwarded-for`, left to right. */
export function forwardedEntries(headers: Headers): string[] {
  return (headers.get(FORWARDED_FOR) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/**
 * The client's address: the entry `trustedHops` places from the right of `x-forwarded-for`.
 * With fewer entries than that (a request that bypassed the proxies), the left-most one: the
 * deployment must make the proxy the only way in (docs/security/accounts.md).
 * Without the header at all (a request that did not pass through scripts/serve.ts, e.g. a test),
 * "unknown": one shared bucket, never an address the client chose.
 */
export function clientAddressFrom(headers: Headers, trustedHops: number): string {
  const entries = forwardedEntries(headers);
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

/**
 * The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 part as two
 * groups), or undefined when `address` is not IPv6.
 */
function ipv6Groups(address: string): number[] | undefined {
  if (!address.includes(":")) return undefined;
  let text = address.replace(/%.*$/, ""); // a zone id (fe80::1%eth0) names an interface, not a host
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted?.[1] && dotted[2]) {
    const octets = dotted[2].split(".").map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(":") : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * The client as rate limits count it. An IPv6 address counts as its /64: one customer, one
 * interface, gets a whole /64 (RFC 6177 and common practice) and can pick any of its 2^64
 * addresses per request, so a limit per full address limits nothing. An IPv4-mapped address
 * (`::ffff:a.b.c.d`) counts as the IPv4 address; IPv4 and anything else (`unknown`) stay as they are.
 * Only for limit subjects: logs may keep the full address.
 */
export function rateLimitSubject(address: string): string {
  const bare = normaliseAddress(address);
  const groups = ipv6Groups(bare);
  if (!groups) return bare;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}
