import "server-only";
import { prisma } from "@/lib/db";

/** The newest development mails to `to`, newest first. */
export function listDevMail(to: string, take = 10) {
  return prisma().devMail.findMany({
    where: { to },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, to: true, subject: true, body: true, link: true, createdAt: true },
  });
}
