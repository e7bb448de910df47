import { createLocalJWKSet, jwtVerify } from "jose";
import { type Page, expect, test } from "@playwright/test";
import { alerts, latestMail, signIn, signUp, uniqueEmail } from "./support";

// The acceptance run of access requests (issue 11): the demo researcher requests the demo dataset
// for a disease-specific purpose, sees each condition explained (and a commercial purpose "not
// met" against the dataset's NCU), invites a colleague who accepts the agreement, submits; the
// committee member converses, votes, is refused a denial without a reason, and approves with an
// end date after re-entering the password; the request is on /access; the researcher's passport
// holds a visa that verifies against the JWKS; a revoked grant leaves the passport at once.

const RESEARCHER = { email: "researcher@demo.trialledger.test", password: "researcher-demo-2026" };
const COMMITTEE = { email: "committee@demo.trialledger.test", password: "committee-demo-2026" };
const DEMO_DATASET_TITLE = "Blood pressure, weight and safety by visit (synthetic)";
const TITLE = `Blood pressure trajectories after treatment ${Date.now()}`;
const FLAG_QUESTIONS = [
  "Is the research commercial, or done for or with a for-profit company?",
  "Is it methods development (new statistical or computational methods)?",
  "Is it a genetic study?",
  "Will the data be used as controls for another study?",
  "Is it population research (prevalence, distribution across a population)?",
  "Is it research on one sex or gender only?",
  "Is it research on children only?",
  "Does it study vulnerable populations (prisoners, people lacking capacity, …)?",
  "Does it study illegal behaviour (violence, drug use, …)?",
  "Does it study sexually transmitted diseases?",
  "Does it study stigmatised diseases?",
  "Does it study psychological traits (intelligence, personality, …)?",
  "Does it study traits that are not about health (behaviour, for example)?",
];

const section = (page: Page, name: string) => page.getByRole("region", { name: new RegExp(`^\\d+\\. ${name}$`) });

async function save(page: Page, region: string, button: string) {
  const part = section(page, region);
  await part.getByRole("button", { name: button }).click();
  await expect(part.getByText(/Saved at \d\d:\d\d UTC\./)).toBeVisible();
}

async function passport(page: Page): Promise<string[]> {
  const response = await page.request.get("/api/ga4gh/passport");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { ga4gh_passport_v1: string[] }).ga4gh_passport_v1;
}

test("a researcher requests the demo dataset, a colleague joins, the committee approves, the visa verifies and revocation takes it away", async ({ page, browser }) => {
  test.setTimeout(300_000);

  // A colleague with a researcher account of their own.
  const colleaguePage = await (await browser.newContext()).newPage();
  const colleague = uniqueEmail("colleague");
  await signUp(colleaguePage, { name: "Casey Colleague", email: colleague, type: "RESEARCHER", institution: "University of Leiden" });

  // 1. The demo researcher starts a request from the dataset's page.
  await signIn(page, RESEARCHER.email, RESEARCHER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  const catalogue = (await (await page.request.get("/api/datasets?q=synthetic")).json()) as { results: Array<{ number: string; title: string }> };
  const dataset = catalogue.results.find((r) => r.title === DEMO_DATASET_TITLE)?.number ?? "";
  expect(dataset).toMatch(/\.D1$/);
  await page.goto(`/datasets/${dataset}`);
  await page.getByRole("button", { name: "Request access" }).click();
  await expect(page).toHaveURL(/\/requests\/DAR-\d{4}-\d{5,}$/);
  const number = new URL(page.url()).pathname.split("/").at(-1) ?? "";
  await expect(section(page, "Releases").getByText("Disease-specific research")).toBeVisible();

  // 2. The form, section by section.
  const summaries = section(page, "Title and summaries");
  await summaries.getByLabel("Title", { exact: true }).fill(TITLE);
  await summaries.getByLabel("Lay summary").fill("We want to learn how blood pressure changes in the months after treatment starts, to plan follow-up visits better.");
  await summaries
    .getByLabel("Scientific abstract")
    .fill("A secondary analysis of systolic and diastolic blood pressure by visit, modelling trajectories with mixed-effects models and comparing them between arms, adjusted for baseline values.");
  await save(page, "Title and summaries", "Save the title and summaries");

  const purpose = section(page, "Research purpose");
  await purpose.getByRole("radio", { name: "Research on specific diseases" }).check();
  await purpose.getByRole("combobox", { name: "Diseases studied (Mondo)" }).fill("essential hyperten");
  await page.getByRole("option", { name: /essential hypertension/ }).first().click();
  for (const question of FLAG_QUESTIONS) await purpose.getByRole("group", { name: question }).getByRole("radio", { name: "No" }).check();
  await save(page, "Research purpose", "Save the purpose");

  const plan = section(page, "Analysis plan");
  await plan
    .getByLabel("Analysis plan", { exact: true })
    .fill("Mixed-effects models of systolic pressure on visit, arm and their interaction, with random intercepts per participant; sensitivity analyses without missing visits.");
  await save(page, "Analysis plan", "Save the analysis plan");
  await plan.getByLabel("Statistical analysis plan").setInputFiles({ name: "sap.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 statistical analysis plan") });
  await expect(plan.getByText("sap.pdf uploaded.")).toBeVisible();
  // The dataset's IRB condition asks for the ethics approval.
  const documents = section(page, "Documents");
  await documents.getByLabel(/Ethics \(IRB\) approval/).setInputFiles({ name: "irb-approval.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 IRB approval") });
  await expect(documents.getByText("irb-approval.pdf uploaded.")).toBeVisible();

  const institution = section(page, "Institution");
  await institution.getByLabel("Institution", { exact: true }).fill("University of Leiden");
  await institution.getByRole("group", { name: "Is the institution a not-for-profit organisation?" }).getByRole("radio", { name: "Yes" }).check();
  await institution.getByLabel("Country of the institution (two-letter code, like NL)").fill("nl");
  await save(page, "Institution", "Save the institution");

  const commitments = section(page, "Conflicts, funding, publication and duration");
  await commitments.getByLabel("Conflicts of interest").fill("None");
  await commitments.getByLabel("Funding").fill("Dutch Research Council, grant 123");
  await commitments.getByLabel("Publication plan").fill("An open-access article and a preprint.");
  await save(page, "Conflicts, funding, publication and duration", "Save these answers");

  // 3. Each condition explained: the disease-specific purpose is a kind of the dataset's disease.
  const match = section(page, "How the purpose matches");
  await expect(match.getByText(/DS\(MONDO:0001134 essential hypertension\).*: met/).first()).toBeVisible();
  await expect(match.getByText(/NCU.*to acknowledge|NCU.*: met/).first()).toBeVisible();
  // A commercial purpose against the dataset's non-commercial condition is not met.
  await purpose.getByRole("group", { name: FLAG_QUESTIONS[0] }).getByRole("radio", { name: "Yes" }).check();
  await expect(match.getByText(/NCU.*not met/).first()).toBeVisible();
  await purpose.getByRole("group", { name: FLAG_QUESTIONS[0] }).getByRole("radio", { name: "No" }).check();
  await expect(match.getByText(/NCU.*not met/)).toHaveCount(0);

  // 4. The team: the colleague is invited and accepts the agreement personally.
  const team = section(page, "Team");
  await team.getByLabel("Colleague's e-mail address").fill(colleague);
  await team.getByRole("button", { name: "Invite to the team" }).click();
  await expect(team.getByText(`Invitation sent to ${colleague}.`)).toBeVisible();
  const invitation = await latestMail(colleaguePage.request, colleague);
  await colleaguePage.goto(invitation.link ?? "");
  await expect(colleaguePage.getByTestId("agreement-text")).toContainText("data use agreement");
  await colleaguePage.getByRole("button", { name: "Join the team and accept the agreement" }).click();
  await expect(colleaguePage).toHaveURL(new RegExp(`/requests/${number}$`));

  await page.reload();
  await section(page, "Data use agreement").getByRole("button", { name: "I accept the data use agreement" }).click();
  await expect(page.getByTestId(`member-${colleague}`)).toContainText("accepted the agreement");
  await section(page, "Submit").getByRole("button", { name: "Submit the request" }).click();
  await expect(page.getByTestId("request-state")).toContainText(/submitted/i);

  // 5. The committee converses, votes, is refused a denial without a reason, and approves.
  const committeePage = await (await browser.newContext()).newPage();
  await signIn(committeePage, COMMITTEE.email, COMMITTEE.password);
  await expect(committeePage).toHaveURL(/\/dashboard$/);
  await committeePage.goto("/committee");
  await committeePage.getByTestId(`request-${number}`).getByRole("link").first().click();
  await expect(committeePage).toHaveURL(new RegExp(`/committee/requests/${number}$`));
  await committeePage.getByRole("button", { name: "Start review" }).click();
  await committeePage.getByRole("textbox", { name: "Message to the researcher" }).fill("Which covariates will you adjust for?");
  await committeePage.getByRole("button", { name: "Send message" }).click();
  await expect(committeePage.getByText("Message sent.")).toBeVisible();

  await page.reload();
  await expect(page.getByText("Which covariates will you adjust for?")).toBeVisible();
  await page.getByRole("textbox", { name: "Message to the committee" }).fill("Age, sex and baseline pressure.");
  await page.getByRole("button", { name: "Send the message" }).click();

  const vote = committeePage.getByRole("form", { name: "Your vote" });
  await vote.getByLabel("Approve", { exact: true }).check();
  await vote.getByRole("textbox", { name: "Rationale" }).fill("The purpose matches the consent and the conditions; the plan is sound.");
  await vote.getByRole("button", { name: "Cast vote" }).click();
  await expect(committeePage.getByText("Vote recorded: Approve.")).toBeVisible();

  const decision = committeePage.getByRole("form", { name: "Decision" });
  await decision.getByLabel("Deny", { exact: true }).check();
  await decision.getByLabel("Your password, to sign").fill(COMMITTEE.password);
  await decision.getByRole("button", { name: "Sign and deny" }).click();
  await expect(committeePage.getByText(/The decision was not recorded/).first()).toBeVisible();
  await expect(committeePage.getByTestId("decision-status")).toHaveText("");

  await decision.getByLabel("Approve", { exact: true }).check();
  const end = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
  await decision.getByLabel("End of access").fill(end);
  await decision.getByLabel("Your password, to sign").fill(COMMITTEE.password);
  await decision.getByRole("button", { name: "Sign and approve" }).click();
  await expect(committeePage.getByTestId("decision-status")).toContainText(`Decided: Approved, on`);

  // 6. The public register lists it.
  await page.goto("/access");
  await expect(page.getByText(TITLE)).toBeVisible();

  // 7. The passport holds a visa per team member's grant; the researcher's verifies against the JWKS.
  const visas = await passport(page);
  expect(visas).toHaveLength(1);
  const jwks = (await (await page.request.get("/.well-known/jwks.json")).json()) as Parameters<typeof createLocalJWKSet>[0];
  const portal = new URL(page.url()).origin;
  const { payload, protectedHeader } = await jwtVerify(visas[0] ?? "", createLocalJWKSet(jwks), { algorithms: ["ES256"], typ: "vnd.ga4gh.visa+jwt" });
  expect(protectedHeader.jku).toBe(`${portal}/.well-known/jwks.json`);
  expect(payload.ga4gh_visa_v1).toMatchObject({ type: "ControlledAccessGrants", by: "dac", value: `${portal}/datasets/${dataset}/releases/1` });
  expect(await passport(colleaguePage)).toHaveLength(1);

  // 8. Revoked: gone from the passport at once.
  const grant = committeePage.locator('[data-testid^="grant-"]').first();
  await grant.getByRole("button", { name: /^Revoke access of/ }).click();
  await grant.getByRole("textbox", { name: "Reason for revoking access" }).fill("The team shared the data outside the agreement.");
  await grant.getByRole("button", { name: "Confirm revocation" }).click();
  await expect(alerts(committeePage)).toHaveCount(0);
  await expect.poll(async () => (await passport(page)).length + (await passport(colleaguePage)).length).toBe(1);
});
