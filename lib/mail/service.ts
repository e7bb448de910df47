import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordDevMail } from "@/lib/mail/mutations";

export type Mail = { to: string; subject: string; body: string; link?: string };

/**
 * Whether the development mailbox (/api/dev/mailbox) keeps mail: never in production, and not
 * while the portal listens on a network address (lib/env.ts devMailbox).
 */
export function devMailboxEnabled(): boolean {
  return env().devMailbox;
}

/**
 * Whether mail can be sent: outside production (server log and development mailbox). Production
 * has no transport in this release.
 */
export function mailTransportConfigured(): boolean {
  return env().APP_ENV !== "production";
}

/**
 * Refuses when no mail can be sent. Callers whose answer would otherwise depend on whether an
 * address has an account (sign-in links, sign-up) call it first, before any lookup, so that every
 * address gets the same refusal.
 * @throws AppError UNAVAILABLE
 */
export function assertMailTransport(): void {
  if (!mailTransportConfigured()) throw new AppError("UNAVAILABLE", "Mail sending is not configured on this portal.");
}

/**
 * Sends a mail. Outside production it goes to the server log and, while the portal listens on
 * loopback, to the development mailbox, where people and tests read it. A production mail
 * transport is not part of this release: production refuses rather than pretending to send.
 * @throws AppError UNAVAILABLE in production
 */
export async function sendMail(mail: Mail): Promise<void> {
  assertMailTransport();
  console.log(`[mail] to ${mail.to}: ${mail.subject}${mail.link ? `\n[mail] link: ${mail.link}` : ""}`);
  if (devMailboxEnabled()) await recordDevMail(mail);
}
