"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/handler";
import { amendTrial, registerTrial } from "@/lib/registry/service";
import { signatureInput } from "@/lib/registry/signature";
import { singleLine } from "@/lib/schema/text";
import { digest, recordId, registrationNumber } from "@/lib/schema/values";

// The record is validated by registerTrial/amendTrial against trialRecordInput, so its field
// errors are keyed by the record's own paths ("primaryOutcomes.0.measure").
const attachmentInput = z.object({
  kind: z.enum(["protocol", "analysis-plan", "other"]),
  // 255: the longest file name common file systems allow.
  name: singleLine().max(255),
  digest,
});

export const registerTrialAction = action(
  {
    name: "registry.register",
    access: ["sponsor"],
    input: z.object({
      orgId: recordId,
      record: z.unknown(),
      // 10: a protocol, an analysis plan and a few amendments or consent forms.
      attachments: z.array(attachmentInput).max(10, "Attach at most 10 files.").default([]),
      signature: signatureInput,
    }),
  },
  async ({ input, session }) => {
    const trial = await registerTrial({
      orgId: input.orgId,
      user: session,
      input: input.record,
      attachments: input.attachments,
      signature: input.signature,
    });
    revalidatePath("/trials");
    redirect(`/trials/${trial.registrationNumber}`);
  },
);

export const amendTrialAction = action(
  {
    name: "registry.amend",
    access: ["sponsor"],
    input: z.object({
      registrationNumber,
      basedOnVersion: z.coerce.number().int().min(1),
      record: z.unknown(),
      signature: signatureInput,
    }),
  },
  async ({ input, session }) => {
    await amendTrial({
      registrationNumber: input.registrationNumber,
      user: session,
      input: input.record,
      basedOnVersion: input.basedOnVersion,
      signature: input.signature,
    });
    revalidatePath(`/trials/${input.registrationNumber}`);
    redirect(`/trials/${input.registrationNumber}`);
  },
);
