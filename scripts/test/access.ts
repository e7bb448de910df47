// Test data for access requests: a sponsor with a published release (made through the datasets
// service, as a sponsor publishes one), its committee member, and researchers — all real accounts.
import type { SessionUser } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { addFile, createDataset, publicationMeaning, publishRelease, saveDraft } from "@/lib/datasets/service";
import { getDataset } from "@/lib/datasets/data";
import { recordDemoPseudonyms } from "@/lib/demo/mutations";
import { DUO_RELEASE, type DataUseConditions } from "@/lib/duo/conditions";
import { acceptInvite, inviteMember as inviteToOrg } from "@/lib/orgs/service";
import { type SponsorWithTrial, sponsorWithTrial, uploadText } from "@/scripts/test/datasets";
import { TEST_PASSWORD } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

export type AccessFixture = SponsorWithTrial & { datasetNumber: string; release: string; committee: SessionUser };

/** A published release 1 of a new dataset of the sponsor's trial, with the given DUO conditions. */
export async function publishedRelease(owner: SponsorWithTrial, conditions: Omit<DataUseConditions, "duoRelease">): Promise<{ datasetNumber: string; release: string }> {
  const { number } = await createDataset({ user: owner.user, registrationNumber: owner.trial.registrationNumber, title: "Blood pressure by visit" });
  await saveDraft({
    user: owner.user,
    datasetNumber: number,
    section: "metadata",
    value: { description: "Systolic blood pressure per visit, for every randomised participant.", keywords: ["hypertension"], licence: "CC-BY-4.0", conditions: ["MONDO:0005044"], releaseNotes: "" },
  });
  await saveDraft({
    user: owner.user,
    datasetNumber: number,
    section: "dictionary",
    value: {
      columns: [
        { name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true },
        { name: "sbp", label: "Systolic blood pressure", type: "integer", unit: "mmHg", required: true },
      ],
    },
  });
  await saveDraft({ user: owner.user, datasetNumber: number, section: "conditions", value: { duoRelease: DUO_RELEASE, ...conditions } });
  const pseudonyms = await recordDemoPseudonyms(owner.trial.id, 3);
  const upload = await uploadText(owner, ["pseudonym,sbp", ...pseudonyms.map((p, i) => `${p},${120 + i}`)].join("\n"));
  await addFile({ user: owner.user, datasetNumber: number, name: "visits.csv", digest: upload.digest });
  const dataset = await getDataset(number, { publishedOnly: false });
  if (!dataset) throw new Error("dataset vanished");
  await publishRelease({ user: owner.user, datasetNumber: number, signature: { password: TEST_PASSWORD, meaning: await publicationMeaning(dataset, 1) } });
  return { datasetNumber: number, release: `${number}/1` };
}

/** A signed-in account of the given type. */
export async function account(label: string, accountType: "RESEARCHER" | "SPONSOR" = "RESEARCHER"): Promise<SessionUser> {
  const created = await signUp({ name: `${label} ${accountType === "RESEARCHER" ? "Researcher" : "Staff"}`, email: uniqueEmail(label), password: TEST_PASSWORD, accountType });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  return user;
}

/** Seats a new staff member of the sponsor on its data-access committee, through the invitation flow. */
export async function committeeMember(owner: SponsorWithTrial, label: string): Promise<SessionUser> {
  const user = await account(label, "SPONSOR");
  const { link } = await inviteToOrg({ orgId: owner.org.id, email: user.email, role: "MEMBER", committee: true, inviter: owner.user });
  await acceptInvite({ token: link.split("/").at(-1) ?? "", user });
  const seated = await getSessionUser(user.id);
  if (!seated) throw new Error("user vanished");
  return seated;
}

/** A sponsor with a published release of the given conditions and one committee member. */
export async function accessFixture(label: string, conditions: Omit<DataUseConditions, "duoRelease">): Promise<AccessFixture> {
  const owner = await sponsorWithTrial(label);
  const release = await publishedRelease(owner, conditions);
  const committee = await committeeMember(owner, `${label}-dac`);
  return { ...owner, ...release, committee };
}

/** A complete request form for a disease-specific, non-commercial purpose. */
export function completeForm(overrides: Record<string, unknown> = {}) {
  return {
    title: "Blood pressure trajectories after treatment",
    laySummary: "We want to learn how blood pressure changes over the months after treatment starts, to plan better follow-up.",
    abstract:
      "A secondary analysis of systolic blood pressure by visit, modelling trajectories with mixed-effects models and comparing them between arms, adjusted for baseline.",
    purpose: {
      duoRelease: DUO_RELEASE,
      category: "DS",
      diseases: ["MONDO:0001134"],
      flags: {
        commercial: false,
        methods: false,
        genetic: false,
        controls: false,
        population: false,
        gender: false,
        pediatric: false,
        vulnerablePopulations: false,
        illegalBehavior: false,
        sexualDiseases: false,
        stigmatizedDiseases: false,
        psychologicalTraits: false,
        notHealth: false,
      },
    },
    analysisPlan:
      "Mixed-effects models of systolic blood pressure on visit, arm and their interaction, with random intercepts per participant; sensitivity analyses excluding missing visits.",
    institution: { name: "University of Leiden", notForProfit: true, country: "nl" },
    conflicts: "None",
    funding: "Dutch Research Council grant 123",
    publicationPlan: "Open-access journal article and a preprint.",
    months: 12,
    ...overrides,
  };
}
