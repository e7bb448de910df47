import "server-only";
import { prisma } from "@/lib/db";

export async function hasAnyUser(): Promise<boolean> {
  return (await prisma().user.count()) > 0;
}
