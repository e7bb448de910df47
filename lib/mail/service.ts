import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordDevMail } from "@/lib/mail/mutations";

export type Mail = { to: string; subject: string; body: string; link?: string };

/** Whether the development mailbox (/api/dev/mailbox) exists: never in production. */
export function devMailboxEnabled(): boolean {
  return env().APP_ENV !== "production";
}

/**
 * Sends a mail. Outside production it goes to the server log and the development mailbox, where
 * people and tests read it. A production mail transport is not part of this release: production
 * refuses rather than pretending to send.
 * @throws AppError UNAVAILABLE in production
 */
export async function sendMail(mail: Mail): Promise<void> {
  if (!devMailboxEnabled()) {
    throw new AppError("UNAVAILABLE", "Mail sending is not configured on this portal.");
  }
  console.log(`[mail] to ${mail.to}: ${mail.subject}${mail.link ? `\n[mail] link: ${mail.link}` : ""}`);
  await recordDevMail(mail);
}
