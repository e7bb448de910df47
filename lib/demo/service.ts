import "server-only";
import { getSessionUser } from "@/lib/auth/data";
import { createUser } from "@/lib/auth/mutations";
import { hashPassword } from "@/lib/auth/password";
import { hasAnyUser } from "@/lib/demo/data";
import { addMember, recordDemoPseudonyms, seatOnCommittee, truncateAllTables } from "@/lib/demo/mutations";
import { createOrgWithAdmin } from "@/lib/orgs/mutations";
import { exampleTrialRecord } from "@/lib/registry/example";
import { registerTrial, registrationMeaning } from "@/lib/registry/service";
import { saveConsentItems } from "@/lib/consent/service";
import { Readable } from "node:stream";
import type { SessionUser } from "@/lib/auth/roles";
import { getDataset } from "@/lib/datasets/data";
import { type DraftSection, addFile, createDataset, publicationMeaning, publishRelease, saveDraft } from "@/lib/datasets/service";
import { demoDictionary, syntheticRows } from "@/lib/datasets/synthetic";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { seedOntologyIfEmpty } from "@/lib/duo/mutations";
import { uploadFile } from "@/lib/storage/uploads";

export type DemoAccount = { role: string; email: string; password: string };

/**
 * Demo accounts. The passwords are published on purpose (README, start-up log): the demo data
 * lives only in a local embedded database, and production never seeds (DEMO_SEED defaults to
 * false there).
 */
export const DEMO_ACCOUNTS = {
  sponsor: { role: "sponsor admin (Northwind Clinical Research)", email: "sponsor@demo.trialledger.test", password: "sponsor-demo-2026" },
  member: { role: "sponsor member", email: "member@demo.trialledger.test", password: "member-demo-2026" },
  committee: { role: "data-access committee member", email: "committee@demo.trialledger.test", password: "committee-demo-2026" },
  researcher: { role: "researcher (University of Leiden)", email: "researcher@demo.trialledger.test", password: "researcher-demo-2026" },
  admin: { role: "site administrator", email: "admin@demo.trialledger.test", password: "admin-demo-2026" },
} satisfies Record<string, DemoAccount>;

/** The demo trial's consent items: the usual choices of a data-sharing consent form. */
export const DEMO_CONSENT_ITEMS = [
  {
    text: "My coded data may be used for research on this trial's condition (high blood pressure).",
    ifGranted: ["DUO:0000007"],
    ifWithheld: [],
  },
  {
    text: "My coded data may also be used for research on other diseases.",
    ifGranted: ["DUO:0000042"],
    ifWithheld: ["DUO:0000007"],
  },
  { text: "My coded data may be used by commercial companies.", ifGranted: [], ifWithheld: ["DUO:0000046"] },
];

/** Creates the demo organisation, its accounts and one registered trial with consent items. Expects an empty database. */
export async function seedDemo(): Promise<DemoAccount[]> {
  const a = DEMO_ACCOUNTS;
  const make = async (account: DemoAccount, name: string, extra: { accountType: "SPONSOR" | "RESEARCHER"; institution?: string; siteAdmin?: boolean }) =>
    // Verified: the demo addresses (.test, RFC 6761) can receive no mail, and the accounts are published.
    createUser({ email: account.email, name, passwordHash: await hashPassword(account.password), emailVerified: new Date(), ...extra }, { type: "system", id: "demo-seed" });

  const sponsor = await make(a.sponsor, "Sam Sponsor", { accountType: "SPONSOR" });
  const member = await make(a.member, "Mia Member", { accountType: "SPONSOR" });
  const committee = await make(a.committee, "Casey Committee", { accountType: "SPONSOR" });
  await make(a.researcher, "Robin Researcher", { accountType: "RESEARCHER", institution: "University of Leiden" });
  await make(a.admin, "Ada Admin", { accountType: "SPONSOR", siteAdmin: true });

  const org = await createOrgWithAdmin({ name: "Northwind Clinical Research", slug: "northwind", adminId: sponsor.id });
  await addMember(org.id, member.id, "MEMBER");
  await addMember(org.id, committee.id, "MEMBER");
  await seatOnCommittee(org.id, committee.id);
  // One trial, so the public registry has something to show (its digest is queued for anchoring).
  const registrar = await getSessionUser(sponsor.id);
  if (!registrar) throw new Error("the demo sponsor vanished");
  // Signed like any registration: the demo sponsor's published password, re-entered.
  const trial = await registerTrial({
    orgId: org.id,
    user: registrar,
    input: exampleTrialRecord,
    signature: { password: a.sponsor.password, meaning: await registrationMeaning(org.id, exampleTrialRecord) },
  });
  // Its consent items, so enrolment codes can be generated for it at once.
  await saveConsentItems({ registrationNumber: trial.registrationNumber, items: DEMO_CONSENT_ITEMS, user: registrar });
  await seedDemoDataset({ user: registrar, orgId: org.id, trial });
  return Object.values(a);
}

/** The demo trial's condition, high blood pressure: Mondo's essential hypertension (a kind of hypertensive disorder, MONDO:0005044). */
export const DEMO_CONDITION = "MONDO:0001134";
/** How many demo participants have proven pseudonyms, and rows per participant (visits). */
const DEMO_PARTICIPANTS = 60;
const DEMO_VISITS = 5;

/**
 * The demo trial's dataset, published through the same service a sponsor uses (validated,
 * signed with the demo sponsor's published password, anchored and logged): 300 synthetic rows
 * keyed by the pseudonyms of 60 seeded demo participants, so access requests and exports can be
 * tried at once. The rows are generated, never real data.
 */
async function seedDemoDataset(opts: { user: SessionUser; orgId: string; trial: { registrationNumber: string; id: string } }) {
  await seedOntologyIfEmpty();
  const pseudonyms = await recordDemoPseudonyms(opts.trial.id, DEMO_PARTICIPANTS);
  const csv = [...syntheticRows(pseudonyms, { visits: DEMO_VISITS, seed: 2026 })].join("");
  const upload = await uploadFile({ orgId: opts.orgId, user: opts.user, body: Readable.from([Buffer.from(csv, "utf8")]) });
  const dataset = await createDataset({ user: opts.user, registrationNumber: opts.trial.registrationNumber, title: "Blood pressure, weight and safety by visit (synthetic)" });
  const save = (section: DraftSection, value: unknown) => saveDraft({ user: opts.user, datasetNumber: dataset.number, section, value });
  await save("metadata", {
    description:
      "Per-visit systolic and diastolic blood pressure, weight and adverse events of the demo trial's participants, over five visits. " +
      "Synthetic data generated for the demonstration: it describes no real person.",
    keywords: ["hypertension", "blood pressure", "synthetic"],
    licence: "CC-BY-NC-4.0",
    conditions: [DEMO_CONDITION],
    releaseNotes: "",
  });
  await save("dictionary", demoDictionary());
  await save("conditions", { duoRelease: DUO_RELEASE, permission: { code: "DS", diseases: [DEMO_CONDITION] }, modifiers: { IRB: true, PUB: true, NPU: true, NCU: true } });
  await addFile({ user: opts.user, datasetNumber: dataset.number, name: "visits.csv", digest: upload.digest });
  const row = await getDataset(dataset.number, { publishedOnly: false });
  if (!row) throw new Error("the demo dataset vanished");
  await publishRelease({ user: opts.user, datasetNumber: dataset.number, signature: { password: DEMO_ACCOUNTS.sponsor.password, meaning: await publicationMeaning(row, 1) } });
}

/** Seeds only an empty database. @returns the accounts created, or [] when there was data. */
export async function seedDemoIfEmpty(): Promise<DemoAccount[]> {
  if (await hasAnyUser()) return [];
  return seedDemo();
}

/** Deletes all data and seeds the demo again. */
export async function resetDemo(): Promise<DemoAccount[]> {
  await truncateAllTables();
  return seedDemo();
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const width = Math.max(...accounts.map((x) => x.email.length));
  return [
    "Demo accounts (sign in at /sign-in):",
    ...accounts.map((x) => `  ${x.email.padEnd(width)}  ${x.password.padEnd(22)} ${x.role}`),
  ].join("\n");
}
