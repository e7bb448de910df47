// GET /api/dev/mailbox?to=<email> — development and tests only: the mails the portal would have
// sent to that address, newest first. Answers 404 in production, as if it did not exist.
import { z } from "zod";
import { email } from "@/lib/auth/schema";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { listDevMail } from "@/lib/mail/data";
import { devMailboxEnabled } from "@/lib/mail/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "dev.mailbox", access: "public", input: z.object({ to: email }) }, async ({ input }) => {
  if (!devMailboxEnabled()) throw new AppError("NOT_FOUND");
  return { mails: await listDevMail(input.to) };
});
