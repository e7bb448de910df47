import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Card, PageTitle } from "@/app/_components/field";
import { ConsentItemsEditor, type EditorItem } from "@/app/(sponsor)/orgs/[slug]/trials/[number]/consent/consent-items-editor";
import { EnrolmentCodes } from "@/app/(sponsor)/orgs/[slug]/trials/[number]/consent/enrolment-codes";
import { requirePageAccess } from "@/lib/auth/session";
import { DUO_TERMS, type DuoId } from "@/lib/consent/duo";
import { MAX_CODES_PER_REQUEST } from "@/lib/consent/schema";
import { getConsentOverview, listEnrolmentCodeSets } from "@/lib/consent/service";
import { getOrgBySlug } from "@/lib/orgs/data";
import { registrationNumberSegment, segmentOf, slug as slugValue } from "@/lib/schema/values";
import { getTrialByNumber } from "@/lib/registry/data";

export const metadata: Metadata = { title: "Consent and enrolment" };

const isDuoId = (id: string): id is DuoId => Object.hasOwn(DUO_TERMS, id);

/** "2026-11-24 07:32 UTC": the same on every screen, and what the server stored. */
function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const CHAIN_STATUS = {
  PENDING: "Waiting to be published",
  SENT: "Sent, waiting for confirmation",
  CONFIRMED: "Published",
} as const;

const linkClass = "text-sky-700 underline dark:text-sky-400";

export default async function TrialConsentPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/trials/${number}/consent`);
  const registration = registrationNumberSegment(number);
  const [org, trial] =
    segmentOf(slugValue, slug) && registration ? await Promise.all([getOrgBySlug(slug), getTrialByNumber(registration)]) : [null, null];
  // The trial must belong to this organisation: /orgs/a/trials/<b's trial>/consent is not found.
  if (!org || !trial || trial.orgId !== org.id) notFound();
  if (!org.members.some((m) => m.user.id === session.id)) redirect("/forbidden");
  const [overview, codeSets] = await Promise.all([
    getConsentOverview(trial.registrationNumber),
    listEnrolmentCodeSets({ registrationNumber: trial.registrationNumber, user: session }),
  ]);
  const current = overview.versions.at(-1);
  const items: EditorItem[] = (current?.items ?? []).map((item) => ({
    number: item.number,
    text: item.text,
    ifGranted: item.ifGranted.filter(isDuoId),
    ifWithheld: item.ifWithheld.filter(isDuoId),
  }));
  const base = `/orgs/${org.slug}/trials/${trial.registrationNumber}`;

  return (
    <>
      <PageTitle
        lead={
          <>
            <Link href={`/trials/${trial.registrationNumber}`} className={linkClass}>
              {trial.registrationNumber}
            </Link>
            {overview.title ? ` — ${overview.title}` : null}. What participants are asked to consent to, and the codes that let them enrol.
          </>
        }
      >
        Consent and enrolment for {trial.registrationNumber}
      </PageTitle>
      <nav aria-label="Consent pages" className="mb-6">
        <ul className="flex flex-wrap gap-x-6 gap-y-2">
          <li>
            <Link href={`${base}/pseudonym`} className={linkClass}>
              Verify a participant pseudonym
            </Link>
          </li>
          <li>
            <Link href={`/trials/${trial.registrationNumber}/consent`} className={linkClass}>
              Public consent page
            </Link>
          </li>
        </ul>
      </nav>

      <div className="flex flex-col gap-6">
        <Card title="Consent items">
          <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
            {current
              ? `Participants now answer version ${current.version}, saved ${utc(current.createdAt)}. Saving a change makes a new version.`
              : "No consent items yet. Participants can give consent once the first version is saved."}
          </p>
          <ConsentItemsEditor registrationNumber={trial.registrationNumber} version={current?.version ?? null} items={items} />
        </Card>

        <Card title="Version history">
          {overview.versions.length === 0 ? (
            <p>No versions yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Versions of the consent items, newest first</caption>
                <thead>
                  <tr className="border-b border-slate-200 dark:border-slate-700">
                    <th scope="col" className="py-2 pr-4">Version</th>
                    <th scope="col" className="pr-4">Saved</th>
                    <th scope="col" className="pr-4">Items</th>
                    <th scope="col" className="pr-4">Digest (SHA-256)</th>
                    <th scope="col">On chain</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.versions.toReversed().map((v) => (
                    <tr key={v.version} className="border-b border-slate-100 align-top dark:border-slate-800">
                      <td className="py-2 pr-4">{v.version}</td>
                      <td className="pr-4">
                        <time dateTime={v.createdAt.toISOString()}>{utc(v.createdAt)}</time>
                      </td>
                      <td className="pr-4">{v.items.length}</td>
                      <td className="pr-4 font-mono text-xs break-all">{v.digest}</td>
                      <td>
                        {CHAIN_STATUS[v.chainStatus]}
                        {v.chainStatus !== "CONFIRMED" && v.chainLastError ? " (the last attempt failed; it is retried automatically)" : null}
                        {v.chainTxHash ? (
                          <span className="block font-mono text-xs break-all">
                            <span className="sr-only">Transaction </span>
                            {v.chainTxHash}
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card title="Enrolment codes">
          <EnrolmentCodes registrationNumber={trial.registrationNumber} max={MAX_CODES_PER_REQUEST} />
        </Card>

        <Card title="Earlier code sets">
          {codeSets.length === 0 ? (
            <p>No codes generated yet.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Enrolment code sets, newest first</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-700">
                  <th scope="col" className="py-2 pr-4">Created</th>
                  <th scope="col" className="pr-4">Issued</th>
                  <th scope="col">Redeemed</th>
                </tr>
              </thead>
              <tbody>
                {codeSets.map((set) => (
                  <tr key={set.id} className="border-b border-slate-100 dark:border-slate-800">
                    <td className="py-2 pr-4">
                      <time dateTime={set.createdAt.toISOString()}>{utc(set.createdAt)}</time>
                    </td>
                    <td className="pr-4">{set.issued}</td>
                    <td>{set.redeemed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
            The portal counts how many codes of a set were used, not which ones: it cannot tell who enrolled with which code.
          </p>
        </Card>
      </div>
    </>
  );
}
