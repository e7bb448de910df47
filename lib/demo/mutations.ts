import "server-only";
import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";

/** The BN254 scalar field's order: a Semaphore nullifier, and so a pseudonym, is an element below it. */
const SNARK_FIELD = 21888242871839275222587718604191009733815955808582299158329495603746865217169n;

/** Empties every application table (not the migration history), in one statement. */
export async function truncateAllTables(): Promise<void> {
  const rows = await prisma().$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  if (rows.length === 0) return;
  const list = rows.map((r) => `"${r.tablename.replaceAll('"', '""')}"`).join(", ");
  await prisma().$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
}

/** Seats a member on their organisation's data-access committee. */
export async function seatOnCommittee(orgId: string, userId: string): Promise<void> {
  await prisma().committeeMember.create({ data: { orgId, userId } });
}

export async function addMember(orgId: string, userId: string, role: "ADMIN" | "MEMBER"): Promise<void> {
  await prisma().membership.create({ data: { orgId, userId, role } });
}

/**
 * Gives the demo trial `count` participants with proven pseudonyms, so its synthetic dataset is keyed
 * by pseudonyms the validation accepts. Writes exactly what an answered handover leaves in the
 * database — `count` PseudonymChallenge rows of the trial, each with a random 128-bit challenge,
 * issued by the organisation's first admin, answered (nullifier = the pseudonym, a random field
 * element written in decimal as Semaphore writes nullifiers; verifiedAt = expiresAt = now) — and
 * no `consent.handover-verified` log entries: nobody's device proved these, and the public log
 * must not say so. Demo seeding and tests only.
 * @returns the pseudonyms, in creation order
 */
export async function recordDemoPseudonyms(trialId: string, count: number): Promise<string[]> {
  const trial = await prisma().trial.findUniqueOrThrow({ where: { id: trialId }, select: { orgId: true } });
  const admin = await prisma().membership.findFirstOrThrow({ where: { orgId: trial.orgId, role: "ADMIN" }, orderBy: { createdAt: "asc" }, select: { userId: true } });
  const now = new Date();
  const pseudonyms = Array.from({ length: count }, () => (BigInt(`0x${randomBytes(32).toString("hex")}`) % SNARK_FIELD).toString());
  await prisma().pseudonymChallenge.createMany({
    data: pseudonyms.map((nullifier) => ({ trialId, challenge: randomBytes(16).toString("hex"), issuedById: admin.userId, expiresAt: now, nullifier, verifiedAt: now })),
  });
  return pseudonyms;
}
