"use client";

import { type SemaphoreProof, verifyProof } from "@semaphore-protocol/core";
import { useId, useRef, useState } from "react";
import { openProvider, redactRpcUrl } from "@/lib/chain/rpc";
import { consentScope } from "@/lib/consent/message";
import {
  type PortalConsent,
  type ProofToVerify,
  type VerificationReport,
  type VerifyProgress,
  openConsentChainReader,
  verdict,
  verifyConsent,
} from "@/lib/consent/verify-all";
import { TallyTable } from "./tally-table";

export type TrustedConsentRegistry = { chainId: number; contract: string; rpcUrl: string; fromBlock: number } | null;

type Props = {
  registrationNumber: string;
  chainTrialId: string;
  registry: TrustedConsentRegistry;
  portal: PortalConsent;
};

type State =
  | { kind: "idle" }
  | { kind: "running"; progress: VerifyProgress; announced: string }
  | { kind: "done"; report: VerificationReport }
  | { kind: "failed"; message: string };

/** `verifyProof` takes the eight points as a tuple; the reader only passes a proof with eight. */
function semaphoreProof(proof: ProofToVerify): SemaphoreProof {
  return { ...proof, points: proof.points as SemaphoreProof["points"] };
}

function describe(progress: VerifyProgress): string {
  if (progress.phase === "chain") return `${progress.detail}…`;
  if (progress.phase === "compare") return "Comparing with this page…";
  return `Verified ${progress.done} of ${progress.total} ${progress.total === 1 ? "proof" : "proofs"}`;
}

/**
 * Screen readers queue every change of a live region: announce a proof count about every tenth of
 * the way (and each phase), while the bar and the visible text move with every proof.
 */
function worthAnnouncing(progress: VerifyProgress): boolean {
  if (progress.phase !== "proofs") return true;
  const step = Math.max(1, Math.ceil(progress.total / 10));
  return progress.done === 0 || progress.done === progress.total || progress.done % step === 0;
}


export function VerifyAll({ registrationNumber, chainTrialId, registry, portal }: Props) {
  const resultId = useId();
  const [state, setState] = useState<State>({ kind: "idle" });
  const announced = useRef("");

  async function run(trusted: NonNullable<TrustedConsentRegistry>) {
    const report = (progress: VerifyProgress) => {
      if (worthAnnouncing(progress)) announced.current = describe(progress);
      setState({ kind: "running", progress, announced: announced.current });
    };
    report({ phase: "chain", detail: "Connecting to the chain" });
    let provider;
    try {
      ({ provider } = await openProvider(trusted.rpcUrl));
    } catch (error) {
      setState({ kind: "failed", message: `The chain did not answer: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    try {
      const network = await provider.getNetwork();
      if (Number(network.chainId) !== trusted.chainId) {
        setState({ kind: "failed", message: `The RPC is on chain ${network.chainId}, not on chain ${trusted.chainId}.` });
        return;
      }
      const chain = await openConsentChainReader({ provider, consentRegistry: trusted.contract, chainTrialId, fromBlock: trusted.fromBlock });
      const scope = consentScope({ chainId: trusted.chainId, consentRegistry: trusted.contract, chainTrialId }).toString();
      const result = await verifyConsent({
        portal,
        chain,
        scope,
        verifyProof: (proof) => verifyProof(semaphoreProof(proof)),
        onProgress: report,
      });
      setState({ kind: "done", report: result });
    } catch (error) {
      setState({ kind: "failed", message: `Reading the chain failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      provider.destroy();
    }
  }

  if (!registry) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The portal cannot reach its chain right now, so it cannot tell your browser where to check. Try again later.
      </p>
    );
  }

  const busy = state.kind === "running";
  const live =
    state.kind === "running"
      ? state.announced
      : state.kind === "done"
        ? `Done. ${verdict(state.report)}.`
        : state.kind === "failed"
          ? "Verification stopped."
          : "";

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your browser reads every consent decision of {registrationNumber} from ConsentRegistry{" "}
        <span className="font-mono break-all">{registry.contract}</span> on chain {registry.chainId} (through{" "}
        <span className="font-mono">{redactRpcUrl(registry.rpcUrl)}</span>), re-verifies each zero-knowledge proof, recounts the tally and
        compares everything with this page. The item texts come from this portal; their SHA-256 digests are on chain, and your browser
        checks the texts against them.
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() => void run(registry)}
        className="self-start rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
      >
        Verify all
      </button>

      {state.kind === "running" ? (
        <div className="flex flex-wrap items-center gap-3">
          {state.progress.phase === "proofs" && state.progress.total > 0 ? (
            <progress max={state.progress.total} value={state.progress.done} aria-label="Proofs verified" className="w-64" />
          ) : (
            <progress aria-label="Reading the chain" className="w-64" />
          )}
          <span className="text-sm" aria-hidden="true">
            {describe(state.progress)}
          </span>
        </div>
      ) : null}
      <p role="status" aria-live="polite" aria-atomic="true" className="sr-only">
        {live}
      </p>

      {state.kind === "failed" ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {state.message}
        </p>
      ) : null}

      {state.kind === "done" ? <Report id={resultId} report={state.report} /> : null}
    </div>
  );
}

function Report({ id, report }: { id: string; report: VerificationReport }) {
  const ok = report.discrepancies.length === 0;
  return (
    <section aria-labelledby={`${id}-heading`} className="flex flex-col gap-3" data-testid="consent-verification-result">
      <h3 id={`${id}-heading`} className="text-lg font-semibold">
        Verification result
      </h3>
      <p id={id} className={`font-medium ${ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>
        {ok ? "✓" : "✗"} {verdict(report)}.
      </p>
      {report.discrepancies.length > 0 ? (
        <ul aria-label="Discrepancies" className="flex list-disc flex-col gap-1 pl-6 text-sm">
          {report.discrepancies.map((d, index) => (
            <li key={`${d.kind}-${index}`} className="break-words">
              {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      {report.pending > 0 ? (
        <p className="text-sm">
          {report.pending} {report.pending === 1 ? "decision is" : "decisions are"} accepted by the portal but not recorded on chain yet: the
          tally above counts {report.pending === 1 ? "it" : "them"}, the chain does not yet, so {report.pending === 1 ? "it was" : "they were"}{" "}
          left out of the comparison.
        </p>
      ) : null}

      <ol className="flex flex-col gap-2">
        {report.checks.map((check) => (
          <li key={check.label} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
            <span className="font-medium">
              {check.ok ? "✓" : "✗"} {check.label}
            </span>
            <span className="sr-only">{check.ok ? " (passed)" : " (failed)"}</span>
            <p className="font-mono text-xs break-all text-slate-600 dark:text-slate-400">{check.detail}</p>
          </li>
        ))}
      </ol>

      <div className="overflow-x-auto">
        <TallyTable caption={`Tally computed from the chain alone (block ${report.blockNumber}, group of ${report.groupSize})`} rows={report.chainTally} />
      </div>
    </section>
  );
}
