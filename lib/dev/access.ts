/**
 * Who may use development-only routes (/api/dev/*: the mailbox, which holds sign-in links and
 * invitations). Pure, so the rule is unit-tested directly; lib/dev/service.ts feeds it a request.
 *
 * A request is answered only when every one of these holds:
 * - not production (APP_ENV);
 * - the portal listens on loopback (HOST): started on a network address, the mailbox is off;
 * - the client address is known to come from the socket (scripts/serve.ts appends it; under a
 *   plain `next start` a client could name its own x-forwarded-for entry) and is loopback;
 * - x-forwarded-for holds that one entry only: any other was written by a proxy in front (nginx,
 *   Caddy, an ngrok or other tunnel agent on this machine connects from 127.0.0.1 and would make
 *   every visitor of its public address look local) or by the client itself; either way the
 *   request did not come straight from this machine's browser;
 * - the Host header names loopback, so a page on another site whose name was re-bound to
 *   127.0.0.1 (DNS rebinding) cannot read the mailbox through the visitor's browser.
 */
import { hostOfHeader, isLoopbackAddress, isLoopbackHost } from "@/lib/net/address";

type AppEnv = "development" | "test" | "production";

export type DevRequestFacts = {
  appEnv: AppEnv;
  /** The address the server listens on (env().host). */
  listenHost: string;
  /** Whether the request went through scripts/serve.ts, which appends the socket address. */
  peerFromSocket: boolean;
  /** The client address (lib/net/address.ts clientAddressFrom). */
  client: string;
  /** How many x-forwarded-for entries the request carries, the one scripts/serve.ts appended included. */
  forwardedEntries: number;
  /** The request's Host header, if any. */
  hostHeader: string | null;
};

export type DevDecision =
  | { ok: true }
  | { ok: false; reason: "production" | "listening-on-network" | "client-unknown" | "proxied" | "remote-client" | "foreign-host" };

export function decideDevRequest(facts: DevRequestFacts): DevDecision {
  if (facts.appEnv === "production") return { ok: false, reason: "production" };
  if (!isLoopbackHost(facts.listenHost)) return { ok: false, reason: "listening-on-network" };
  if (!facts.peerFromSocket) return { ok: false, reason: "client-unknown" };
  if (facts.forwardedEntries !== 1) return { ok: false, reason: "proxied" };
  if (!isLoopbackAddress(facts.client)) return { ok: false, reason: "remote-client" };
  if (!facts.hostHeader || !isLoopbackHost(hostOfHeader(facts.hostHeader))) return { ok: false, reason: "foreign-host" };
  return { ok: true };
}

/**
 * The warning for a development portal on a network address: the demo accounts' passwords are
 * public and the development mailbox would hand anyone a sign-in link, so the mailbox is off.
 * Undefined when there is nothing to warn about.
 */
export function exposureWarning(config: { APP_ENV: AppEnv; host: string; PORT: number }): string | undefined {
  if (config.APP_ENV === "production" || isLoopbackHost(config.host)) return undefined;
  return [
    "",
    "!".repeat(78),
    `WARNING: a ${config.APP_ENV} portal is listening on ${config.host}:${config.PORT}, reachable from the network.`,
    "  The development mailbox (/api/dev/mailbox) is OFF: sign-in links and invitations are printed",
    "  to this log only. The demo accounts' passwords are public: do not keep real data here.",
    "  Unset HOST to listen on loopback only, or set APP_ENV=production for a real deployment.",
    "!".repeat(78),
    "",
  ].join("\n");
}
