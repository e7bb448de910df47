import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageTitle, Section } from "@/app/_components/field";
import { Agreement } from "@/app/(researcher)/requests/[number]/agreement-text";
import { DraftSections } from "@/app/(researcher)/requests/[number]/draft-sections";
import { WithdrawRequestButton } from "@/app/(researcher)/requests/[number]/submit";
import { Conversation, DecisionNotice, Grants, NextSteps, SubmittedSummary } from "@/app/(researcher)/requests/[number]/submitted-view";
import { stateInWords } from "@/app/(researcher)/requests/words";
import { requestNumber } from "@/lib/access/schema";
import { requestForResearcher } from "@/lib/access/views";
import { requirePageAccess } from "@/lib/auth/session";
import { termLabels } from "@/lib/duo/data";
import { AppError } from "@/lib/errors";
import { segmentOf } from "@/lib/schema/values";

export const metadata: Metadata = { title: "Access request" };

/** States in which the researcher may still withdraw the request. */
const WITHDRAWABLE = new Set(["DRAFT", "SUBMITTED", "IN_REVIEW", "RETURNED"]);

/**
 * One access request of the signed-in researcher (or of a team they are on): the form in
 * sections while it is a draft or returned for revision; once submitted, what was submitted, the
 * conversation with the committee, its decision and the grants. Another researcher's request
 * answers 404, like one that does not exist.
 */
export default async function RequestPage({ params }: { params: Promise<{ number: string }> }) {
  const { number: segment } = await params;
  const session = await requirePageAccess(["researcher"], `/requests/${segment}`);
  const number = segmentOf(requestNumber, segment);
  if (!number) notFound();
  const view = await requestForResearcher(session, number).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (!view) notFound();

  const form = view.submitted ?? view.form;
  const labels = Object.fromEntries(await termLabels([...(view.form.purpose?.diseases ?? []), ...(view.submitted?.purpose.diseases ?? [])]));
  const state = stateInWords(view.state, view.submittedAt, new Date());

  return (
    <>
      <PageTitle
        lead={
          <>
            <span className="font-mono">{view.number}</span> to {view.org.name} ·{" "}
            <span data-testid="request-state">{state}</span> ·{" "}
            <Link href="/requests" className="text-sky-700 underline dark:text-sky-400">
              All my requests
            </Link>
          </>
        }
      >
        {form.title ?? "Untitled request"}
      </PageTitle>
      <div className="flex flex-col gap-8">
        <DecisionNotice view={view} />
        {view.canEdit ? (
          <DraftSections view={view} me={session.email} diseaseLabels={labels} />
        ) : (
          <>
            {view.submitted ? (
              <SubmittedSummary view={view} diseaseLabels={labels} />
            ) : (
              <p className="max-w-prose">{view.researcher.name} is preparing this request; you will see it here as submitted once they submit it.</p>
            )}
            {view.agreement.acceptedByMe ? null : (
              <Section id="section-agreement" title="Data use agreement">
                <Agreement view={view} me={session.email} />
              </Section>
            )}
            <Grants view={view} />
            <NextSteps view={view} />
          </>
        )}
        {view.state !== "DRAFT" ? <Conversation view={view} /> : null}
        {WITHDRAWABLE.has(view.state) && view.researcher.id === session.id ? <WithdrawRequestButton number={view.number} /> : null}
      </div>
    </>
  );
}
