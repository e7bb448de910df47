import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { type ReactNode, cache } from "react";
import { VerifyAll } from "@/app/(public)/trials/[number]/consent/verify-all";
import { trustedContract } from "@/lib/chain/service";
import { DUO_TERMS, type DuoId, duoLabel } from "@/lib/consent/duo";
import { consentScope, grantedItems } from "@/lib/consent/message";
import { getConsentEvents, getConsentOverview } from "@/lib/consent/service";
import { type PortalConsent, shortPseudonym } from "@/lib/consent/verify-all";
import { AppError } from "@/lib/errors";
import { registrationNumberSegment } from "@/lib/schema/values";
import { TallyTable } from "./tally-table";
import { Section } from "@/app/_components/field";

type Props = { params: Promise<{ number: string }> };

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (date: Date) => `${WHEN.format(date)} UTC`;

const linkClass = "text-sky-700 underline dark:text-sky-400";
const cell = "py-2 pr-3";

const VERSION_STATUS = { PENDING: "Waiting to be published", SENT: "Sent, waiting for confirmation", CONFIRMED: "Published on chain" } as const;

const isDuoId = (id: string): id is DuoId => Object.hasOwn(DUO_TERMS, id);

/** One request's overview (metadata and page ask for it); null for an unknown trial. */
const overviewOf = cache(async (segment: string) => {
  const registrationNumber = registrationNumberSegment(segment);
  if (!registrationNumber) return null;
  try {
    return await getConsentOverview(registrationNumber);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  const overview = await overviewOf(number);
  return { title: overview ? `${number}: consent and participation` : "Trial not found" };
}

function DuoTerms({ ids }: { ids: string[] }) {
  if (ids.length === 0) return <>no DUO term</>;
  return (
    <>
      {ids.map((id, index) => (
        <span key={id}>
          {index > 0 ? ", " : null}
          {isDuoId(id) ? (
            <>
              <span className="font-mono">{duoLabel(id)}</span> {DUO_TERMS[id].label}
            </>
          ) : (
            <span className="font-mono">{id}</span>
          )}
        </span>
      ))}
    </>
  );
}

/** "items 0, 2" / "item 1" / "none". */
function itemList(numbers: number[]): string {
  if (numbers.length === 0) return "none";
  return `${numbers.length === 1 ? "item" : "items"} ${numbers.join(", ")}`;
}

/**
 * One item's granted / withdrawn / not yet answered as a horizontal stacked bar. The numbers are
 * in its label and, for reading and comparing, in the table below.
 */
function TallyBar({ row }: { row: { number: number; granted: number; withdrawn: number; notAnswered: number } }) {
  const open = Math.max(0, row.notAnswered);
  const total = row.granted + row.withdrawn + open;
  const width = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  const label = `Item ${row.number}: ${row.granted} granted, ${row.withdrawn} withdrawn, ${row.notAnswered} not yet answered`;
  return (
    <li className="grid gap-1 sm:grid-cols-[6rem_1fr] sm:items-center sm:gap-4">
      <span className="text-sm font-medium" aria-hidden="true">
        Item {row.number}
      </span>
      <div className="flex flex-col gap-1">
        <svg role="img" aria-label={label} viewBox="0 0 100 6" preserveAspectRatio="none" className="h-6 w-full rounded border border-slate-300 dark:border-slate-600">
          <rect x={0} y={0} width={width(row.granted)} height={6} className="fill-emerald-700 dark:fill-emerald-500" />
          <rect x={width(row.granted)} y={0} width={width(row.withdrawn)} height={6} className="fill-amber-400 dark:fill-amber-300" />
          <rect x={width(row.granted) + width(row.withdrawn)} y={0} width={width(open)} height={6} className="fill-slate-200 dark:fill-slate-700" />
        </svg>
        <span className="text-xs text-slate-600 dark:text-slate-400" aria-hidden="true">
          {row.granted} granted · {row.withdrawn} withdrawn · {row.notAnswered} not yet answered
        </span>
      </div>
    </li>
  );
}

function Swatch({ className, children }: { className: string; children: ReactNode }) {
  return (
    <li className="flex items-center gap-2">
      <span aria-hidden="true" className={`inline-block h-3 w-5 rounded-sm border border-slate-300 dark:border-slate-600 ${className}`} />
      {children}
    </li>
  );
}

export default async function ConsentTransparencyPage({ params }: Props) {
  const { number } = await params;
  const overview = await overviewOf(number);
  if (!overview) notFound();
  const [events, registry] = await Promise.all([getConsentEvents(overview.registrationNumber), trustedContract("ConsentRegistry")]);
  const base = `/trials/${overview.registrationNumber}`;
  const current = overview.versions.find((v) => v.version === overview.currentVersion) ?? null;
  const itemsByVersion = new Map(overview.versions.map((v) => [v.version, v.items.map((i) => i.number)]));
  const pending = events.filter((e) => e.status === "PENDING" || e.status === "SENT").length;
  // The scope makes each proof below a complete Semaphore proof that any verifier can check.
  const scope = registry
    ? consentScope({ chainId: registry.chainId, consentRegistry: registry.contract, chainTrialId: overview.chainTrialId }).toString()
    : null;

  const portal: PortalConsent = {
    versions: overview.versions.map((v) => ({
      version: v.version,
      items: v.items.map((i) => ({ number: i.number, text: i.text, ifGranted: i.ifGranted, ifWithheld: i.ifWithheld })),
      digest: v.digest,
      chainStatus: v.chainStatus,
    })),
    groupSize: overview.members.length,
    tally: overview.tally.map((row) => ({ number: row.number, granted: row.granted, withdrawn: row.withdrawn, notAnswered: row.notAnswered })),
    events: events.map((e) => ({
      position: e.position,
      nullifier: e.nullifier,
      sequence: e.sequence,
      grants: e.grants,
      textVersion: e.textVersion,
      status: e.status,
      txHash: e.txHash,
      blockNumber: e.blockNumber,
      proof: { merkleTreeDepth: e.proof.merkleTreeDepth, merkleTreeRoot: e.proof.merkleTreeRoot, message: e.proof.message, points: e.proof.points },
    })),
  };

  return (
    <article className="flex flex-col gap-10">
      <header className="flex flex-col gap-2">
        <p className="font-mono text-sm text-slate-600 dark:text-slate-400">{overview.registrationNumber}</p>
        <h1 className="text-2xl font-semibold tracking-tight">Consent and participation</h1>
        <p className="text-slate-600 dark:text-slate-400">
          {overview.title ? <>{overview.title}. </> : null}
          Participants give, change or withdraw consent with a zero-knowledge proof that they are enrolled: everyone sees each decision under a
          pseudonym that is different in every trial, and nobody — not the sponsor, not this portal — can tell who made it.{" "}
          <Link href={base} className={linkClass}>
            Back to the trial
          </Link>
        </p>
      </header>

      {!current ? (
        <Section id="consent-items" title="Consent items">
          <p>This trial has not published consent items yet.</p>
        </Section>
      ) : (
        <>
          <Section id="consent-items" title="Consent items">
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Version {current.version}, in force since <time dateTime={current.createdAt.toISOString()}>{when(current.createdAt)}</time>. Each
              item maps to GA4GH Data Use Ontology (DUO) terms that apply to a participant&apos;s data when they grant it and when they do not.
            </p>
            <ol className="flex flex-col gap-3">
              {current.items.map((item) => (
                <li key={item.number} className="rounded-md border border-slate-200 p-4 dark:border-slate-700">
                  <p>
                    <span className="font-medium">Item {item.number}.</span> {item.text}
                  </p>
                  <dl className="mt-2 grid gap-1 text-sm sm:grid-cols-[9rem_1fr]">
                    <dt className="font-medium text-slate-700 dark:text-slate-300">If granted</dt>
                    <dd>
                      <DuoTerms ids={item.ifGranted} />
                    </dd>
                    <dt className="font-medium text-slate-700 dark:text-slate-300">If withheld</dt>
                    <dd>
                      <DuoTerms ids={item.ifWithheld} />
                    </dd>
                  </dl>
                </li>
              ))}
            </ol>
          </Section>

          <Section id="participation" title="Participation">
            <p>
              <span className="font-medium">{overview.members.length}</span> {overview.members.length === 1 ? "participant is" : "participants are"}{" "}
              enrolled (members of the trial&apos;s group on chain); <span className="font-medium">{overview.decided}</span> {overview.decided === 1 ? "has" : "have"}{" "}
              decided at least once.
            </p>
            <p>
              Anonymity set: <span className="font-medium">{overview.groupSize}</span> {overview.groupSize === 1 ? "member" : "members"}. A decision proves only
              that it comes from one of the members of the group it was proven over, not which one; the portal accepts decisions only over a group of at
              least <span className="font-medium">{overview.minGroupSize}</span> members
              {overview.acceptingDecisions ? "." : `, so decisions open once ${overview.minGroupSize - overview.groupSize} more ${overview.minGroupSize - overview.groupSize === 1 ? "participant enrols" : "participants enrol"}.`}
            </p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              How this is counted: each pseudonym&apos;s latest decision counts; &ldquo;withdrawn&rdquo; means their latest decision does not grant the
              item; an item whose text has changed counts as not yet answered until the participant confirms it again.
              {pending > 0
                ? ` ${pending} ${pending === 1 ? "decision is" : "decisions are"} accepted but not yet recorded on chain; ${pending === 1 ? "it is" : "they are"} counted here.`
                : null}
            </p>
            <figure className="flex flex-col gap-3">
              <figcaption className="font-medium">Decisions per consent item</figcaption>
              <ul aria-label="Legend" className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
                <Swatch className="bg-emerald-700 dark:bg-emerald-500">Granted</Swatch>
                <Swatch className="bg-amber-400 dark:bg-amber-300">Withdrawn</Swatch>
                <Swatch className="bg-slate-200 dark:bg-slate-700">Not yet answered</Swatch>
              </ul>
              <ul className="flex flex-col gap-3">
                {overview.tally.map((row) => (
                  <TallyBar key={row.number} row={row} />
                ))}
              </ul>
            </figure>
            <div className="overflow-x-auto">
              <TallyTable caption="Consent tally per item: granted, withdrawn and not yet answered" rows={overview.tally} />
            </div>
          </Section>

          <Section id="verify" title="Check it against the chain">
            <VerifyAll registrationNumber={overview.registrationNumber} chainTrialId={overview.chainTrialId} registry={registry} portal={portal} />
          </Section>
        </>
      )}

      <Section id="events" title="Consent events">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every decision in the order the portal received it, with its proof. A decision names the items granted, the consent-text version the
          participant read and a sequence number: a higher sequence replaces the pseudonym&apos;s earlier decision.
        </p>
        {events.length === 0 ? (
          <p>No decisions yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">Consent decisions of {overview.registrationNumber}, in arrival order</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-600">
                  <th scope="col" className={cell}>Position</th>
                  <th scope="col" className={cell}>Pseudonym</th>
                  <th scope="col" className={cell}>Decision</th>
                  <th scope="col" className={cell}>Text version</th>
                  <th scope="col" className={cell}>Sequence</th>
                  <th scope="col" className={cell}>Status</th>
                  <th scope="col" className="py-2">Proof</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => {
                  const granted = grantedItems(BigInt(e.grants));
                  const notGranted = (itemsByVersion.get(e.textVersion) ?? []).filter((n) => !granted.includes(n));
                  const proof = JSON.stringify(
                    {
                      merkleTreeDepth: e.proof.merkleTreeDepth,
                      merkleTreeRoot: e.proof.merkleTreeRoot,
                      nullifier: e.proof.nullifier,
                      message: e.proof.message,
                      ...(scope ? { scope } : {}),
                      points: e.proof.points,
                    },
                    null,
                    2,
                  );
                  return (
                    <tr key={e.position} className="border-b border-slate-200 align-top dark:border-slate-800">
                      <th scope="row" className={cell}>
                        {e.position}
                      </th>
                      <td className={cell}>
                        <details>
                          <summary className="cursor-pointer font-mono">
                            {shortPseudonym(e.nullifier)}
                            <span className="sr-only"> (show the full pseudonym)</span>
                          </summary>
                          <code className="block max-w-[16rem] text-xs break-all">{e.nullifier}</code>
                        </details>
                      </td>
                      <td className={cell}>
                        Granted: {itemList(granted)}
                        <span className="block">Not granted: {itemList(notGranted)}</span>
                      </td>
                      <td className={cell}>{e.textVersion}</td>
                      <td className={cell}>{e.sequence}</td>
                      <td className={cell}>
                        {e.status === "RECORDED" ? (
                          <>
                            Recorded on chain{e.blockNumber !== null ? `, block ${e.blockNumber}` : ""}
                            {e.blockTime ? (
                              <span className="block">
                                <time dateTime={e.blockTime}>{when(new Date(e.blockTime))}</time>
                              </span>
                            ) : null}
                          </>
                        ) : e.status === "SENT" ? (
                          "Sent, waiting for confirmation"
                        ) : e.status === "PENDING" ? (
                          "Accepted, waiting to be sent"
                        ) : (
                          <>
                            Refused by the chain
                            {e.reason ? <span className="block text-amber-800 dark:text-amber-300">{e.reason}</span> : null}
                          </>
                        )}
                        {e.txHash ? <span className="block max-w-[16rem] font-mono text-xs break-all">tx {e.txHash}</span> : null}
                      </td>
                      <td className="py-2">
                        <details>
                          <summary className="cursor-pointer">Proof of decision {e.position}</summary>
                          {e.anonymitySet !== null ? (
                            <p className="mt-1 text-xs">
                              Proven over a group of {e.anonymitySet} {e.anonymitySet === 1 ? "member" : "members"}.
                            </p>
                          ) : null}
                          <pre className="mt-2 max-h-64 max-w-[28rem] overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">{proof}</pre>
                          <a
                            href={`data:application/json;charset=utf-8,${encodeURIComponent(proof)}`}
                            download={`${overview.registrationNumber}-consent-${e.position}.json`}
                            className={linkClass}
                          >
                            Download proof {e.position} (JSON)
                          </a>
                        </details>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <p className="text-sm">
          All decisions as JSON:{" "}
          <a href={`/api/consent/trials/${overview.registrationNumber}/events`} className={linkClass}>
            /api/consent/trials/{overview.registrationNumber}/events
          </a>
        </p>
      </Section>

      <Section id="versions" title="Consent text versions">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Each version&apos;s digest is the SHA-256 of its items as RFC 8785 canonical JSON. ConsentRegistry keeps it on chain, so a text cannot be
          changed after participants have read it without that showing.
        </p>
        {overview.versions.length === 0 ? (
          <p>No versions yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">Consent text versions of {overview.registrationNumber}, oldest first</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-600">
                  <th scope="col" className={cell}>Version</th>
                  <th scope="col" className={cell}>Created</th>
                  <th scope="col" className={cell}>SHA-256 digest</th>
                  <th scope="col" className={cell}>On chain</th>
                  <th scope="col" className="py-2">Items</th>
                </tr>
              </thead>
              <tbody>
                {overview.versions.map((v) => (
                  <tr key={v.version} className="border-b border-slate-200 align-top dark:border-slate-800">
                    <th scope="row" className={cell}>
                      {v.version}
                    </th>
                    <td className={cell}>
                      <time dateTime={v.createdAt.toISOString()}>{when(v.createdAt)}</time>
                    </td>
                    <td className={`${cell} max-w-[16rem] font-mono text-xs break-all`}>{v.digest}</td>
                    <td className={cell}>
                      {VERSION_STATUS[v.chainStatus]}
                      {v.chainTxHash ? <span className="block max-w-[16rem] font-mono text-xs break-all">tx {v.chainTxHash}</span> : null}
                    </td>
                    <td className="py-2">
                      <details>
                        <summary className="cursor-pointer">Items of version {v.version}</summary>
                        <ol className="mt-2 flex flex-col gap-1">
                          {v.items.map((item) => (
                            <li key={item.number}>
                              <span className="font-medium">Item {item.number}.</span> {item.text}
                            </li>
                          ))}
                        </ol>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </article>
  );
}
