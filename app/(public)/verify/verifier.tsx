"use client";

import { useId, useState } from "react";
import { fromHex } from "@/lib/merkle";
import { ReceiptError, checkReceiptProof, parseReceipt, type Receipt } from "@/lib/anchoring/receipt";
import { openProvider } from "@/lib/chain/rpc";
import { type ReleaseManifest, parseManifest } from "@/lib/datasets/manifest";
import { checkReceiptOnChain } from "@/lib/verify/chain-check";
import { hashBlob } from "@/lib/verify/hash-blob";
import { describeSubject, verifiedSummary } from "@/lib/verify/subject";

type Registry = { chainId: number; contract: string; rpcUrl: string } | null;
type Step = { label: string; ok: boolean; detail: string };
type Outcome = { verdict: "verified" | "not-verified" | "digest-only"; summary: string; steps: Step[]; digest?: string };

/** 64 MiB, as the CLI: a manifest is a few MiB at most; a larger file is not read whole to find out. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** The first 20 files a manifest lists (a release may list thousands; the CLI checks them all). */
function listFiles(manifest: ReleaseManifest): string {
  const shown = manifest.files.slice(0, 20).map((f) => `${f.name} ${f.digest} (${f.size} bytes)`);
  const more = manifest.files.length - shown.length;
  return shown.length === 0 ? "none" : `${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}

/** The file as a dataset manifest, when the receipt is a manifest's and the file reads as one. */
async function readManifest(file: File): Promise<ReleaseManifest | null> {
  if (file.size > MAX_MANIFEST_BYTES) return null;
  try {
    return parseManifest(await file.text());
  } catch {
    return null;
  }
}

async function run(file: File | null, receiptFile: File | null, registry: Registry, onProgress: (p: number) => void): Promise<Outcome> {
  const steps: Step[] = [];
  const fail = (summary: string): Outcome => ({ verdict: "not-verified", summary, steps });
  let digest: string | undefined;
  if (file) {
    digest = await hashBlob(file, (done, total) => onProgress(total === 0 ? 1 : done / total));
    steps.push({ label: "File hashed on this device", ok: true, detail: `SHA-256 ${digest}` });
  }
  if (!receiptFile) {
    return { verdict: "digest-only", summary: "Add the file's receipt to check it against the chain.", steps, ...(digest ? { digest } : {}) };
  }
  let receipt: Receipt;
  try {
    receipt = parseReceipt(JSON.parse(await receiptFile.text()) as unknown);
    const label = describeSubject(receipt.subject);
    steps.push({
      label: "Receipt read",
      ok: true,
      detail: `version ${receipt.version}, leaf ${receipt.leafIndex} of ${receipt.treeSize}, root ${receipt.root}${label ? `; labelled ${label} (a label: the proof covers the digest, not the label)` : ""}`,
    });
  } catch (error) {
    const detail = error instanceof ReceiptError ? error.problems.join("; ") : "The receipt is not JSON.";
    steps.push({ label: "Receipt read", ok: false, detail });
    return fail("The receipt is not a valid TrialLedger receipt.");
  }
  const proof = checkReceiptProof(receipt, digest ? fromHex(digest) : undefined);
  steps.push({ label: digest ? "File matches the receipt, and its Merkle path leads to the root" : "Merkle path leads to the root", ok: proof.ok, detail: proof.ok ? "RFC 6962 inclusion proof holds" : proof.reason });
  if (!proof.ok) return fail(proof.reason);
  // The file is the anchored item: when it is a manifest, what it says it is, is proven too.
  const manifest = file && receipt.subject?.kind === "dataset-manifest" ? await readManifest(file) : null;
  if (manifest) {
    steps.push({
      label: "Manifest read",
      ok: true,
      detail: `“${manifest.dataset.title}”, trial ${manifest.trial.registrationNumber}; ${manifest.files.length} file(s): ${listFiles(manifest)}. Check each file with its receipt, or all at once with trialledger verify --files.`,
    });
  }
  if (!registry) {
    steps.push({ label: "Chain", ok: false, detail: "This portal does not know its chain right now." });
    return fail("The chain could not be asked.");
  }
  let provider;
  try {
    ({ provider } = await openProvider(registry.rpcUrl));
  } catch (error) {
    steps.push({ label: "Root anchored on chain", ok: false, detail: error instanceof Error ? error.message : String(error) });
    return fail("The chain did not answer.");
  }
  try {
    const chain = await checkReceiptOnChain({ provider, receipt, trustedContract: registry.contract });
    if (!chain.ok) {
      steps.push({ label: "Root anchored on chain", ok: false, detail: chain.reason });
      return fail(chain.reason);
    }
    steps.push({
      label: "Root anchored on chain",
      ok: true,
      detail: `TrialRegistry ${receipt.chain.contract} on chain ${receipt.chain.chainId}, block ${receipt.chain.blockNumber}, ${chain.confirmations} confirmations`,
    });
    const when = chain.anchoredAt.toISOString().replace("T", " ").replace(".000Z", " UTC");
    return {
      verdict: "verified",
      summary: verifiedSummary({ receipt, when, hadFile: digest !== undefined, manifest: manifest ?? undefined }),
      steps,
      ...(digest ? { digest } : {}),
    };
  } catch (error) {
    steps.push({ label: "Root anchored on chain", ok: false, detail: error instanceof Error ? error.message : String(error) });
    return fail("The chain did not answer.");
  } finally {
    provider.destroy();
  }
}

export function Verifier({ registry }: { registry: Registry }) {
  const fileId = useId();
  const receiptId = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const file = form.get("file");
          const receipt = form.get("receipt");
          const chosenFile = file instanceof File && file.name ? file : null;
          const chosenReceipt = receipt instanceof File && receipt.name ? receipt : null;
          if (!chosenFile && !chosenReceipt) {
            setError("Choose a file, a receipt, or both.");
            return;
          }
          setError(null);
          setOutcome(null);
          setBusy(true);
          setProgress(chosenFile ? 0 : null);
          void run(chosenFile, chosenReceipt, registry, setProgress)
            .then(setOutcome)
            .finally(() => setBusy(false));
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={fileId} className="text-sm font-medium">File (protocol, analysis plan, dataset file or manifest, registered record…)</label>
          <input id={fileId} name="file" type="file" className="text-sm" />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={receiptId} className="text-sm font-medium">Receipt (JSON)</label>
          <input id={receiptId} name="receipt" type="file" accept="application/json,.json" className="text-sm" />
        </div>
        {error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
        {progress !== null && busy ? (
          <div className="flex items-center gap-3">
            <progress max={1} value={progress} aria-label="Hashing the file" className="w-64" />
            <span className="text-sm" aria-live="polite">{Math.round(progress * 100)}%</span>
          </div>
        ) : null}
        <button type="submit" disabled={busy} className="self-start rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60">
          {busy ? "Verifying…" : "Verify"}
        </button>
      </form>

      {outcome ? (
        <section aria-labelledby="result" className="flex flex-col gap-3" data-testid="verification-result">
          <h2 id="result" role="status" className={`text-xl font-semibold ${outcome.verdict === "verified" ? "text-emerald-700 dark:text-emerald-400" : outcome.verdict === "not-verified" ? "text-red-700 dark:text-red-400" : ""}`}>
            {outcome.verdict === "verified" ? "Verified" : outcome.verdict === "not-verified" ? "Not verified" : "File hashed"}: {outcome.summary}
          </h2>
          <ol className="flex flex-col gap-2">
            {outcome.steps.map((step) => (
              <li key={step.label} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                <span className="font-medium">{step.ok ? "✓" : "✗"} {step.label}</span>
                <span className="sr-only">{step.ok ? " (passed)" : " (failed)"}</span>
                <p className="break-all font-mono text-xs text-slate-600 dark:text-slate-400">{step.detail}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {registry
          ? `Trusted registry: ${registry.contract} on chain ${registry.chainId}.`
          : "The chain is not reachable from the portal right now; the Merkle path can still be checked."}{" "}
        Prefer an independent check? <code>npx trialledger verify &lt;file&gt; receipt.json --rpc URL</code>; for a dataset release,{" "}
        <code>npx trialledger verify manifest.json receipt.json --files DIR</code> checks every file against the manifest too.
      </p>
    </div>
  );
}
