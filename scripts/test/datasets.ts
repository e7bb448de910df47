import { Readable } from "node:stream";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { uploadFile } from "@/lib/storage/uploads";
import { TEST_PASSWORD, registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

/** Test data for datasets: a sponsor with an organisation and a registered trial, and uploads. */

export type SponsorWithTrial = { user: SessionUser; org: { id: string; slug: string }; trial: { id: string; registrationNumber: string } };

export async function sponsorWithTrial(label: string): Promise<SponsorWithTrial> {
  const created = await signUp({ name: `${label} Sponsor`, email: uniqueEmail(label), password: TEST_PASSWORD, accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: `${label} Pharma ${Math.random().toString(36).slice(2, 8)}`, creator: user });
  const trial = await registerSigned({ orgId: org.id, user, input: structuredClone(exampleTrialRecord) });
  return { user, org: { id: org.id, slug: org.slug }, trial: { id: trial.id, registrationNumber: trial.registrationNumber } };
}

/** Uploads `text` for the organisation, as its member would through /api/uploads. */
export async function uploadText(owner: { user: SessionUser; org: { id: string } }, text: string) {
  return uploadFile({ orgId: owner.org.id, user: owner.user, body: Readable.from([Buffer.from(text, "utf8")]) });
}
