import "server-only";
import { prisma } from "@/lib/db";

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
