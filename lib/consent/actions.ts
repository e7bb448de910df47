"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { generateEnrolmentCodes, issuePseudonymChallenge, saveConsentItems } from "@/lib/consent/service";
import { action } from "@/lib/handler";
import { registrationNumber } from "@/lib/schema/values";

export const generateCodesAction = action(
  {
    name: "consent.codes.generate",
    access: ["sponsor"],
    input: z.object({ registrationNumber, count: z.coerce.number().int() }),
  },
  async ({ input, session }) => {
    const result = await generateEnrolmentCodes({ ...input, user: session });
    revalidatePath(`/trials/${input.registrationNumber}/consent`);
    return result;
  },
);

export const saveConsentItemsAction = action(
  {
    name: "consent.items.save",
    access: ["sponsor"],
    // The version the editor started from (0 = none yet): saving over a newer one is refused.
    input: z.object({ registrationNumber, items: z.unknown(), basedOnVersion: z.coerce.number().int().min(0) }),
  },
  async ({ input, session }) => {
    const version = await saveConsentItems({ ...input, user: session });
    revalidatePath(`/trials/${input.registrationNumber}/consent`);
    return version;
  },
);

export const issueChallengeAction = action(
  { name: "consent.handover.issue", access: ["sponsor"], input: z.object({ registrationNumber }) },
  ({ input, session }) => issuePseudonymChallenge({ registrationNumber: input.registrationNumber, user: session }),
);
