// GET /api/dev/mailbox?to=<email> — development and tests only: the mails the portal would have
// sent to that address, newest first. Answers 404, as if it did not exist, in production, when the
// portal listens on a network address, and to any request that is not from this machine
// (lib/dev/access.ts): the mailbox holds sign-in links and invitations.
import { z } from "zod";
import { email } from "@/lib/auth/schema";
import { assertDevRequest } from "@/lib/dev/service";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { listDevMail } from "@/lib/mail/data";
import { devMailboxEnabled } from "@/lib/mail/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "dev.mailbox", access: "public", input: z.object({ to: email }) }, async ({ input, request }) => {
  assertDevRequest(request);
  if (!devMailboxEnabled()) throw new AppError("NOT_FOUND");
  return { mails: await listDevMail(input.to) };
});
