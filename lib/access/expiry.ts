import "server-only";
import { listCloseoutsDue, listLapsedGrants } from "@/lib/access/data";
import { expireGrant, recordCloseoutReminder } from "@/lib/access/mutations";
import { releaseRefOf } from "@/lib/access/schema";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/service";
import { startPolling } from "@/lib/outbox/runner";

/**
 * Grants end by themselves: a grant is active only while start ≤ now < end, which every check
 * (the passport, downloads) reads live, so access stops at the end to the second whatever this job
 * does. The job records the ending — `access.grant-expired` in the log, the request's history —
 * and, 30 days before access ends, asks the researcher for the close-out report (DUOS's close-out,
 * REMS's expiration notifications). Every instance may run it: each write is conditional
 * (`endedAt: null`), so two runs never record one expiry twice.
 */

/** 30 days: time to write up publications and destroy the data before access ends. */
export const CLOSEOUT_NOTICE_MS = 30 * 24 * 60 * 60 * 1000;
/** Every 10 minutes: a recorded expiry lags the real one by at most that; access itself does not. */
export const EXPIRY_INTERVAL_MS = 10 * 60 * 1000;

export async function expireGrantsOnce(now: Date = new Date()): Promise<{ expired: number; reminded: number }> {
  let expired = 0;
  for (const grant of await listLapsedGrants(now)) {
    const recorded = await expireGrant({
      request: { id: grant.requestId, number: grant.request.number, orgId: grant.request.orgId },
      grantId: grant.id,
      userId: grant.userId,
      releaseRef: releaseRefOf(grant.release.dataset.number, grant.release.number),
      now,
    });
    if (recorded) expired++;
  }
  let reminded = 0;
  for (const request of await listCloseoutsDue(new Date(now.getTime() + CLOSEOUT_NOTICE_MS))) {
    const link = `${env().authUrl}/requests/${request.number}`;
    await recordCloseoutReminder(request.id);
    await sendMail({
      to: request.researcher.email,
      subject: `Close-out report due for ${request.number}`,
      body: `Access under request ${request.number} ends on ${request.grantEnd?.toISOString().slice(0, 10)}. Before then, submit the close-out report: your publications, and confirmation that every copy of the data has been destroyed. You can also ask to renew.\n\n${link}`,
      link,
    });
    reminded++;
  }
  return { expired, reminded };
}

export function startGrantExpiry(log: (line: string) => void = console.log) {
  return startPolling(
    async () => {
      const result = await expireGrantsOnce();
      if (result.expired + result.reminded > 0) log(`[access] ${result.expired} grant(s) expired, ${result.reminded} close-out reminder(s) sent`);
    },
    EXPIRY_INTERVAL_MS,
    (line) => log(`[access] ${line}`),
  );
}
