import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageTitle, Section } from "@/app/_components/field";
import { clockText, dayOf, decisionText, eventDetail, eventText, minuteOf, ruleText, sideText, stateText, voteText } from "@/app/(committee)/committee/words";
import { ExplainedMatch } from "@/app/(committee)/committee/requests/[number]/explained-match";
import { DecisionForm } from "@/app/(committee)/committee/requests/[number]/decision-form";
import { PostForm, StartReviewButton, VoteForm } from "@/app/(committee)/committee/requests/[number]/review-forms";
import { RevokeGrant } from "@/app/(committee)/committee/requests/[number]/revoke-grant";
import { SubmittedRequest } from "@/app/(committee)/committee/requests/[number]/submitted-request";
import { requestNumber } from "@/lib/access/schema";
import { type CommitteeRequestView, requestForCommittee } from "@/lib/access/views";
import { requirePageAccess } from "@/lib/auth/session";
import { termLabels } from "@/lib/duo/data";
import { AppError } from "@/lib/errors";
import { segmentOf } from "@/lib/schema/values";

export const metadata: Metadata = { title: "Access request" };

const linkClass = "text-sky-700 underline dark:text-sky-400";

/** States in which the conversation is open: from submission until the request is closed. */
const CONVERSING = new Set(["SUBMITTED", "IN_REVIEW", "RETURNED", "APPROVED"]);

const SECTIONS = [
  ["request", "The request as submitted"],
  ["match", "Explained match"],
  ["conversation", "Conversation with the researcher"],
  ["notes", "Internal notes"],
  ["votes", "Votes"],
  ["decision", "Decision"],
  ["history", "History"],
] as const;

/**
 * One request, as the committee works it: the request as submitted and its explained match, the
 * conversation with the researcher, internal notes, votes, the signed decision and the grants it
 * gave, and the whole history. Another organisation's request, or one that does not exist,
 * is a 404 alike (the loader checks the seat).
 */
export default async function CommitteeRequestPage({ params }: { params: Promise<{ number: string }> }) {
  const { number: segment } = await params;
  const session = await requirePageAccess(["committee"], `/committee/requests/${segment}`);
  const number = segmentOf(requestNumber, segment);
  if (!number) notFound();
  const view = await requestForCommittee(session, number).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (!view) notFound();

  const form = view.submitted ?? view.form;
  const diseaseLabels = Object.fromEntries(await termLabels(form.purpose?.diseases ?? []));
  const messages = view.events.filter((e) => e.type === "message");
  const myVote = view.votes.find((v) => v.current && v.userName === session.name) ?? null;
  const open = view.state === "SUBMITTED" || view.state === "IN_REVIEW";
  const title = form.title ?? "(untitled)";

  return (
    <>
      <PageTitle
        lead={
          <>
            {stateText(view.state)} · {view.org.name} · from {view.researcher.name} ({view.researcher.email})
            {view.revision > 1 ? ` · revision ${view.revision}` : ""}
            {view.submittedAt ? ` · submitted ${dayOf(view.submittedAt)}` : ""}
            {open && view.daysOpen !== null ? ` · ${clockText(view.daysOpen, view.rule.targetDays, view.daysOpen > view.rule.targetDays)}` : ""} ·{" "}
            <Link href="/committee" className={linkClass}>
              Inbox
            </Link>
          </>
        }
      >
        {view.number} — {title}
      </PageTitle>

      <nav aria-label="On this page" className="mb-6">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`} className={linkClass}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="flex flex-col gap-10">
        {view.state === "SUBMITTED" ? (
          <div className="flex flex-col gap-2 rounded-md border border-sky-300 p-4 dark:border-sky-800">
            <p>This request is new. Starting the review moves it to “In review” and tells the researcher it is being read.</p>
            <StartReviewButton number={view.number} />
          </div>
        ) : null}

        <Section id="request" title="The request as submitted">
          <SubmittedRequest view={view} diseaseLabels={diseaseLabels} />
        </Section>

        <Section id="match" title="Explained match">
          {view.explanation ? <ExplainedMatch explanation={view.explanation} /> : <p>No match: the research purpose is not complete enough to match.</p>}
        </Section>

        <Section id="conversation" title="Conversation with the researcher">
          <p className="text-sm text-slate-600 dark:text-slate-400">The researcher reads every message here.</p>
          {messages.length === 0 ? (
            <p>No messages yet.</p>
          ) : (
            <ol className="flex flex-col gap-3" aria-label="Messages">
              {messages.map((m) => (
                <li key={String(m.id)} className={`rounded-md border p-3 ${m.actor.side === "committee" ? "border-sky-200 dark:border-sky-800" : "border-slate-200 dark:border-slate-700"}`}>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    {m.actor.name} ({sideText(m.actor.side)}), <time dateTime={new Date(m.at).toISOString()}>{minuteOf(m.at)}</time>
                  </p>
                  <p className="whitespace-pre-wrap">{m.text}</p>
                </li>
              ))}
            </ol>
          )}
          {CONVERSING.has(view.state) ? <PostForm number={view.number} kind="message" /> : null}
        </Section>

        <Section id="notes" title="Internal notes">
          <p className="font-medium">Internal notes are for the committee only: they are never shown to the researcher.</p>
          {view.notes.length === 0 ? (
            <p>No notes yet.</p>
          ) : (
            <ol className="flex flex-col gap-3" aria-label="Internal notes">
              {view.notes.map((n) => (
                <li key={String(n.id)} className="rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950">
                  <p className="text-sm">
                    {n.actor.name}, <time dateTime={new Date(n.at).toISOString()}>{minuteOf(n.at)}</time>
                  </p>
                  <p className="whitespace-pre-wrap">{n.text}</p>
                </li>
              ))}
            </ol>
          )}
          <PostForm number={view.number} kind="note" />
        </Section>

        <Section id="votes" title="Votes">
          <p data-testid="decision-rule">{ruleText(view.rule.rule, view.rule.seats)}</p>
          <VoteSummary view={view} />
          {view.votes.length === 0 ? (
            <p>No votes yet.</p>
          ) : (
            <ul className="flex flex-col gap-3" aria-label="Votes of the committee">
              {view.votes.map((v) => (
                <li key={`${v.userName}-${v.at}`} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                  <p>
                    <strong>{v.userName}</strong>: {voteText(v.vote)}{" "}
                    <span className="text-sm text-slate-600 dark:text-slate-400">
                      ({minuteOf(v.at)}
                      {v.current ? "" : `, on revision ${v.revision}: not counted`})
                    </span>
                  </p>
                  <p className="whitespace-pre-wrap">{v.rationale}</p>
                </li>
              ))}
            </ul>
          )}
          {open ? <VoteForm number={view.number} current={myVote} /> : <p>Votes are cast while the request waits for a decision.</p>}
        </Section>

        <Section id="decision" title="Decision">
          <p role="status" data-testid="decision-status">
            {view.decision ? `Decided: ${decisionText(view.decision.decision, view.decision.conditions)}, on ${dayOf(view.decision.at)}.` : ""}
          </p>
          {view.decision ? (
            <DecisionShown decision={view.decision} />
          ) : open ? (
            <DecisionForm
              number={view.number}
              meanings={view.decisionMeanings}
              signer={{ name: session.name, email: session.email }}
              defaultEnd={view.defaultEnd}
              maxEnd={view.maxEnd}
              latestEnd={view.latestEnd}
              today={new Date().toISOString().slice(0, 10)}
            />
          ) : (
            <p>{view.state === "RETURNED" ? "Returned for revision: waiting for the researcher to submit again." : "No decision."}</p>
          )}
          {view.grants.length > 0 ? (
            <div className="flex flex-col gap-2">
              <h3 className="text-lg font-semibold">Grants</h3>
              <ul className="flex flex-col gap-3" aria-label="Grants">
                {view.grants.map((g) => (
                  <li key={g.id} data-testid={`grant-${g.id}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 dark:border-slate-700">
                    <p>
                      <strong>{g.userName}</strong> — {g.release}
                    </p>
                    <p className="text-sm">
                      {dayOf(g.start)} to {dayOf(g.end)} · {g.active ? "Active" : `Ended${g.endReason ? ` (${g.endReason.toLowerCase().replace("_", " ")})` : ""}`}
                    </p>
                    {g.active ? <RevokeGrant grantId={g.id} who={`${g.userName} to ${g.release}`} /> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </Section>

        <Section id="history" title="History">
          <p className="text-sm text-slate-600 dark:text-slate-400">Every event of the request in order, internal ones included. Events are never edited or removed.</p>
          <ol className="flex flex-col gap-0 border-l-2 border-slate-300 pl-4 dark:border-slate-600" aria-label="History of the request">
            {view.events.map((e) => (
              <li key={String(e.id)} className="relative pb-4">
                <span aria-hidden="true" className="absolute top-1.5 -left-[1.4rem] h-3 w-3 rounded-full bg-slate-400 dark:bg-slate-500" />
                <p>
                  <time dateTime={new Date(e.at).toISOString()} className="text-sm text-slate-600 dark:text-slate-400">
                    {minuteOf(e.at)}
                  </time>{" "}
                  <strong>{eventText(e.type)}</strong> — {e.actor.name} ({sideText(e.actor.side)})
                </p>
                {eventDetail(e) ? <p className="text-sm whitespace-pre-wrap">{eventDetail(e)}</p> : null}
              </li>
            ))}
          </ol>
        </Section>
      </div>
    </>
  );
}

type View = CommitteeRequestView;

function VoteSummary({ view }: { view: View }) {
  const counts = Object.entries(view.tally).filter(([, n]) => n > 0);
  return (
    <p data-testid="vote-tally">
      {counts.length === 0 ? "Tally of this revision: no votes yet." : `Tally of this revision: ${counts.map(([vote, n]) => `${voteText(vote)} ${n}`).join(", ")}.`}
    </p>
  );
}

function DecisionShown({ decision }: { decision: NonNullable<View["decision"]> }) {
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[10rem_1fr]">
      <dt className="font-medium">Decision</dt>
      <dd>{decisionText(decision.decision, decision.conditions)}</dd>
      <dt className="font-medium">Decided</dt>
      <dd>{minuteOf(decision.at)}</dd>
      {decision.end ? (
        <>
          <dt className="font-medium">Access ends</dt>
          <dd>{dayOf(decision.end)}</dd>
        </>
      ) : null}
      {decision.conditions ? (
        <>
          <dt className="font-medium">Conditions</dt>
          <dd className="whitespace-pre-wrap">{decision.conditions}</dd>
        </>
      ) : null}
      {decision.reason ? (
        <>
          <dt className="font-medium">Reason (shown to the researcher)</dt>
          <dd className="whitespace-pre-wrap">{decision.reason}</dd>
        </>
      ) : null}
    </dl>
  );
}
