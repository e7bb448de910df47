import type { Metadata } from "next";
import Link from "next/link";
import { LogVerifier, type VerifierTrust } from "@/app/(public)/transparency/log-verifier";
import { PageTitle, Section } from "@/app/_components/field";
import { type PublicLogEntry, searchPublicEntries } from "@/lib/audit/data";
import { publicEntryFilterFrom } from "@/lib/audit/schema";
import { kindLabel } from "@/lib/audit/service";
import { findLatestCheckpoint } from "@/lib/log/data";
import { LOG_KINDS } from "@/lib/log/kinds";
import { logSigner } from "@/lib/log/signing-key";
import { witnessInfo } from "@/lib/log/witness";
import { toHex } from "@/lib/merkle";

export const metadata: Metadata = { title: "Transparency log" };
export const dynamic = "force-dynamic";

const INPUT =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const SEARCH_KEYS = ["index", "kind", "subject", "actor"] as const;

function searchHref(values: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of SEARCH_KEYS) if (values[key]) params.set(key, values[key]);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return `/transparency${text ? `?${text}` : ""}#entries-heading`;
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-3">
      <dt className="font-medium sm:w-44 sm:shrink-0">{term}</dt>
      <dd className="font-mono text-xs [overflow-wrap:anywhere] sm:text-sm">{children}</dd>
    </div>
  );
}

function Actor({ document }: { document: PublicLogEntry["document"] }) {
  const actor = document?.actor;
  if (!actor) return <span>—</span>;
  if (actor.type === "user") return <span className="font-mono text-xs [overflow-wrap:anywhere]">account {actor.id}</span>;
  if (actor.type === "system") return <span className="[overflow-wrap:anywhere]">Portal ({actor.id})</span>;
  if (actor.type === "participant") return <span>A participant (anonymous)</span>;
  return <span>Not signed in</span>;
}

function FieldError({ id, errors }: { id: string; errors?: string[] | undefined }) {
  return errors?.length ? (
    <p id={id} className="text-sm text-red-700 dark:text-red-400">
      {errors.join(" ")}
    </p>
  ) : null;
}

export default async function TransparencyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const values = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  const { filter, errors } = publicEntryFilterFrom(params);
  const [checkpoint, witness, signer, results] = await Promise.all([findLatestCheckpoint(), witnessInfo(), logSigner(), searchPublicEntries(filter)]);
  const searched = SEARCH_KEYS.some((key) => values[key]);
  const trust: VerifierTrust = {
    verifierKey: signer.verifierKey,
    origin: signer.origin,
    chain: witness.chainId !== null && witness.contract && witness.rpcUrl ? { chainId: witness.chainId, contract: witness.contract, rpcUrl: witness.rpcUrl } : null,
  };

  return (
    <div className="flex flex-col gap-10">
      <PageTitle lead="Every security event on this portal — sign-ins, role changes, uploads, registrations, consent decisions — is an entry in this public, append-only log. Its checkpoints are signed and anchored on chain, so nobody, the operator included, can rewrite it unnoticed.">
        Transparency log
      </PageTitle>

      <Section id="checkpoint-heading" title="Latest checkpoint">
        {checkpoint ? (
          <>
            <dl className="flex flex-col gap-2 text-sm" data-testid="latest-checkpoint">
              <Fact term="Origin">{signer.origin}</Fact>
              <Fact term="Entries">{checkpoint.size}</Fact>
              <Fact term="Root (SHA-256)">{toHex(checkpoint.root)}</Fact>
              <Fact term="Signed">
                <time dateTime={checkpoint.createdAt.toISOString()}>{TIME.format(checkpoint.createdAt)} UTC</time>
              </Fact>
              <Fact term="Verifier key">{signer.verifierKey}</Fact>
            </dl>
            <details>
              <summary className="cursor-pointer text-sm text-sky-700 underline dark:text-sky-400">The signed note (C2SP tlog-checkpoint)</summary>
              <pre className="mt-2 overflow-x-auto whitespace-pre-wrap rounded-md bg-slate-100 p-3 font-mono text-xs [overflow-wrap:anywhere] dark:bg-slate-900">{checkpoint.note}</pre>
            </details>
          </>
        ) : (
          <p className="rounded-md bg-slate-100 p-4 dark:bg-slate-900">Nothing has been logged yet.</p>
        )}
        <p className="text-sm">
          Machine-readable: <a className="text-sky-700 underline dark:text-sky-400" href="/log/checkpoint">/log/checkpoint</a>, <a className="text-sky-700 underline dark:text-sky-400" href="/log/vkey">/log/vkey</a>, tiles under <code>/log/tile/</code> (C2SP tlog-tiles).
        </p>
      </Section>

      <Section id="witness-heading" title="Witnessed on chain">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The LogWitness contract keeps the latest anchored checkpoint and accepts a new one only with a proof that it extends the old: a fork or a rewrite of anchored history is refused by the chain itself.
        </p>
        <dl className="flex flex-col gap-2 text-sm" data-testid="witness-state">
          <Fact term="Chain">{witness.chainId ?? "not reachable from the portal"}</Fact>
          <Fact term="Contract">{witness.contract ?? "not deployed"}</Fact>
          {witness.anchored ? (
            <>
              <Fact term="Anchored entries">{witness.anchored.size}</Fact>
              <Fact term="Anchored root">{witness.anchored.root}</Fact>
              <Fact term="Block">{witness.anchored.blockNumber}</Fact>
              <Fact term="Transaction">{witness.anchored.txHash}</Fact>
            </>
          ) : (
            <Fact term="Anchored">nothing yet, as far as the portal knows</Fact>
          )}
        </dl>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          That is what the portal says. Your browser can check it: it reads the contract from the chain, verifies the checkpoint&apos;s signature and proves from the log&apos;s tiles that the log extends the anchored history.
        </p>
        <LogVerifier trust={trust} />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Prefer your own tools? <code>npx trialledger log verify --portal URL --rpc URL</code>, or any C2SP tlog client — see{" "}
          <a className="underline" href="https://c2sp.org/tlog-tiles">
            C2SP tlog-tiles
          </a>
          .
        </p>
      </Section>

      <Section id="entries-heading" title="Entries">
        <form method="get" action="/transparency#entries-heading" role="search" aria-label="Search the log" className="grid grid-cols-1 gap-4 rounded-lg border border-slate-200 p-5 sm:grid-cols-2 lg:grid-cols-4 dark:border-slate-700">
          <div className="flex flex-col gap-1">
            <label htmlFor="log-index" className="text-sm font-medium">
              Index
            </label>
            <input id="log-index" name="index" inputMode="numeric" defaultValue={values.index ?? ""} aria-invalid={errors.index ? true : undefined} aria-describedby={errors.index ? "log-index-error" : undefined} className={INPUT} />
            <FieldError id="log-index-error" errors={errors.index} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="log-kind" className="text-sm font-medium">
              Kind of event
            </label>
            <select id="log-kind" name="kind" defaultValue={values.kind ?? ""} className={`${INPUT} w-full min-w-0`}>
              <option value="">Any kind</option>
              {Object.keys(LOG_KINDS).map((kind) => (
                <option key={kind} value={kind}>
                  {kindLabel(kind)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="log-subject" className="text-sm font-medium">
              Subject
            </label>
            <input id="log-subject" name="subject" defaultValue={values.subject ?? ""} aria-describedby="log-subject-hint" className={INPUT} />
            <p id="log-subject-hint" className="text-xs text-slate-600 dark:text-slate-400">
              A type, or type:id — trial:TLR-2026-00001.
            </p>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="log-actor" className="text-sm font-medium">
              Actor
            </label>
            <input
              id="log-actor"
              name="actor"
              defaultValue={values.actor ?? ""}
              aria-invalid={errors.actor ? true : undefined}
              aria-describedby={`log-actor-hint${errors.actor ? " log-actor-error" : ""}`}
              className={INPUT}
            />
            <p id="log-actor-hint" className="text-xs text-slate-600 dark:text-slate-400">
              An account id, participant, anonymous or system:&lt;name&gt;.
            </p>
            <FieldError id="log-actor-error" errors={errors.actor} />
          </div>
          <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-4">
            <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
              Search
            </button>
            {searched ? (
              <Link href="/transparency#entries-heading" className="py-2 text-sm underline">
                Clear search
              </Link>
            ) : null}
          </div>
        </form>

        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {results.entries.length === 0 ? (searched ? "No entry matches this search." : "No entry is in the log yet.") : `${results.entries.length} ${results.entries.length === 1 ? "entry" : "entries"}, newest first.`}
        </p>
        {results.entries.length > 0 ? (
          <table className="w-full table-fixed border-collapse text-left text-sm">
            <caption className="sr-only">Log entries{searched ? " matching the search" : ""}, newest first</caption>
            <colgroup>
              <col className="w-[26%] sm:w-[18%]" />
              <col />
              <col className="w-[30%] sm:w-[25%]" />
            </colgroup>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-600">
                <th scope="col" className="py-2 pr-2">Entry</th>
                <th scope="col" className="py-2 pr-2">Event</th>
                <th scope="col" className="py-2">Actor</th>
              </tr>
            </thead>
            <tbody>
              {results.entries.map((entry) => (
                <tr key={entry.index} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid="log-entry">
                  <td className="py-2 pr-2">
                    <span className="block font-mono">#{entry.index}</span>
                    <time dateTime={entry.createdAt.toISOString()} className="block text-xs">
                      {TIME.format(entry.createdAt)}
                    </time>
                  </td>
                  <td className="py-2 pr-2">
                    <span className="block font-medium">{kindLabel(entry.kind)}</span>
                    {entry.document?.subject ? (
                      <span className="block text-xs [overflow-wrap:anywhere]">
                        {entry.document.subject.type}
                        {entry.document.subject.id ? ` ${entry.document.subject.id}` : ""}
                      </span>
                    ) : null}
                    <details className="mt-1">
                      <summary className="cursor-pointer text-sky-700 underline dark:text-sky-400">Entry</summary>
                      <pre className="mt-2 whitespace-pre-wrap rounded-md bg-slate-100 p-2 font-mono text-xs [overflow-wrap:anywhere] dark:bg-slate-900">{new TextDecoder().decode(entry.body)}</pre>
                      <a href={`/api/log/entries/${entry.index}`} className="text-xs text-sky-700 underline dark:text-sky-400">
                        Receipt (C2SP tlog-proof, in JSON)
                      </a>
                    </details>
                  </td>
                  <td className="py-2">
                    <Actor document={entry.document} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {results.below !== null ? (
          <nav aria-label="Pages of the log" className="text-sm">
            <Link href={searchHref(values, { below: String(results.below) })} className="underline" rel="next">
              Older entries
            </Link>
          </nav>
        ) : null}
      </Section>
    </div>
  );
}
