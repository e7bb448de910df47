"use client";

import { useState } from "react";
import { openProvider } from "@/lib/chain/rpc";
import { LogVerifyError, checkConsistent, checkHead, logClient, readWitness, type TreeHead } from "@/lib/log/client";
import { parseVerifierKey } from "@/lib/log/note";
import { toHex } from "@/lib/merkle";

/**
 * Verifies the log in the visitor's browser, trusting the portal for nothing it checks: the latest
 * checkpoint's signature against the verifier key, the chain's own answer to LogWitness.latest()
 * (asked over the RPC, not the portal), and a consistency proof between the two built from the log's
 * tiles and hashed here. The same checks as `npx trialledger log verify` (lib/log/client.ts).
 */

export type VerifierTrust = {
  /** The log's verifier key and origin, as the portal publishes them (compare with a pinned copy). */
  verifierKey: string;
  origin: string;
  /** The LogWitness contract and an RPC for browsers; null when the portal does not know its chain. */
  chain: { chainId: number; contract: string; rpcUrl: string } | null;
};

type Step = { label: string; ok: boolean; detail: string };
type Outcome = { verified: boolean; summary: string; steps: Step[] };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function verify(trust: VerifierTrust): Promise<Outcome> {
  const steps: Step[] = [];
  const fail = (summary: string): Outcome => ({ verified: false, summary, steps });
  const client = logClient(window.location.origin);

  let head: TreeHead;
  let note: string;
  try {
    const latest = await client.checkpoint([parseVerifierKey(trust.verifierKey)], trust.origin);
    head = { size: latest.checkpoint.size, root: latest.checkpoint.root };
    note = latest.note;
    checkHead(head, [note]);
    steps.push({ label: "Checkpoint signed by the log's key", ok: true, detail: `${trust.origin}: ${head.size} entries, root ${toHex(head.root)}` });
  } catch (error) {
    steps.push({ label: "Checkpoint signed by the log's key", ok: false, detail: message(error) });
    return fail("The latest checkpoint does not verify.");
  }

  if (!trust.chain) {
    steps.push({ label: "Checkpoint anchored on chain", ok: false, detail: "The portal does not know its chain right now." });
    return fail("The chain could not be asked.");
  }
  let anchored: TreeHead & { blockNumber: number };
  let provider: Awaited<ReturnType<typeof openProvider>>["provider"] | undefined;
  try {
    const opened = await openProvider(trust.chain.rpcUrl);
    provider = opened.provider;
    if (opened.chainId !== trust.chain.chainId) throw new Error(`the RPC serves chain ${opened.chainId}, not chain ${trust.chain.chainId}`);
    anchored = await readWitness(provider, trust.chain.contract);
    steps.push({
      label: "Chain witness read from the chain",
      ok: true,
      detail: anchored.size === 0 ? `LogWitness ${trust.chain.contract} on chain ${trust.chain.chainId} holds no checkpoint yet` : `LogWitness ${trust.chain.contract} on chain ${trust.chain.chainId}: ${anchored.size} entries, root ${toHex(anchored.root)}, block ${anchored.blockNumber}`,
    });
  } catch (error) {
    steps.push({ label: "Chain witness read from the chain", ok: false, detail: message(error) });
    return fail("The chain did not answer.");
  } finally {
    provider?.destroy();
  }

  try {
    await checkConsistent(client, anchored, head, [note]);
    steps.push({
      label: "The log extends the history anchored on chain",
      ok: true,
      detail:
        anchored.size === 0
          ? "Nothing is anchored yet: every log extends the empty tree."
          : anchored.size <= head.size
            ? `Consistency proof from ${anchored.size} to ${head.size} entries verified (${client.fetches()} tiles fetched)`
            : `The chain holds a newer checkpoint (${anchored.size} entries) that extends this one`,
    });
  } catch (error) {
    steps.push({ label: "The log extends the history anchored on chain", ok: false, detail: message(error) });
    return fail(error instanceof LogVerifyError ? "The log's history differs from the one anchored on chain." : "The log's tiles could not be read.");
  }
  return {
    verified: true,
    summary: `The log's ${head.size} entries extend the ${anchored.size} anchored on chain${anchored.size ? ` at block ${anchored.blockNumber}` : ""}.`,
    steps,
  };
}

export function LogVerifier({ trust }: { trust: VerifierTrust }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <div className="flex flex-col gap-3">
      <button
        type="button"
        disabled={busy}
        aria-disabled={busy}
        onClick={() => {
          setBusy(true);
          setOutcome(null);
          void verify(trust)
            .catch((error: unknown): Outcome => ({ verified: false, summary: message(error), steps: [] }))
            .then(setOutcome)
            .finally(() => setBusy(false));
        }}
        className="self-start rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
      >
        {busy ? "Verifying…" : "Verify against the chain"}
      </button>
      <div aria-live="polite">
        {outcome ? (
          <div className="flex flex-col gap-3" data-testid="log-verification">
            <p role="status" className={`text-lg font-semibold ${outcome.verified ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>
              {outcome.verified ? "Verified" : "Not verified"}: {outcome.summary}
            </p>
            <ol className="flex flex-col gap-2">
              {outcome.steps.map((step) => (
                <li key={step.label} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                  <span className="font-medium">
                    {step.ok ? "✓" : "✗"} {step.label}
                  </span>
                  <span className="sr-only">{step.ok ? " (passed)" : " (failed)"}</span>
                  <p className="font-mono text-xs text-slate-600 [overflow-wrap:anywhere] dark:text-slate-400">{step.detail}</p>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
      </div>
    </div>
  );
}
