import "server-only";
import { prisma } from "@/lib/db";

export async function recordDevMail(mail: { to: string; subject: string; body: string; link?: string }): Promise<void> {
  await prisma().devMail.create({ data: mail });
}
