"use client";

import type { Identity, SemaphoreProof } from "@semaphore-protocol/core";
import Link from "next/link";
import QRCode from "qrcode";
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Card, FormMessage } from "@/app/_components/field";
import {
  type ConsentEventView,
  type ConsentGroupView,
  type ConsentOverviewView,
  answers,
  fetchEvents,
  fetchGroup,
  fetchOverview,
  myDecisions,
  postDecision,
  postHandover,
} from "@/lib/consent/device";
import { challengeMessage, grantedItems, grantsMask, packConsentMessage } from "@/lib/consent/message";
import { loadProvingArtifacts, createProver } from "@/lib/consent/prover";
import { trialPseudonym } from "@/lib/consent/pseudonym";
import { trialIdentity } from "@/lib/wallet/derive";
import { useWallet } from "../../wallet-context";
import { WalletGate } from "../../wallet-forms";

type Loaded = { group: ConsentGroupView; overview: ConsentOverviewView; events: ConsentEventView[] };
type Progress = { label: string; value?: number; max?: number };

const STATUS_TEXT: Record<ConsentEventView["status"], string> = {
  PENDING: "Pending: accepted by the portal, waiting to be recorded on chain",
  SENT: "Pending: sent to the chain",
  RECORDED: "Recorded on chain",
  REJECTED: "Refused by the chain",
};

/** Makes a proof in the Web Worker, loading the proving files once (with their download progress). */
function useProver(setProgress: (progress: Progress | null) => void) {
  const prover = useRef<ReturnType<typeof createProver> | null>(null);
  useEffect(() => () => prover.current?.terminate(), []);
  return useCallback(
    async (identity: Identity, members: string[], message: bigint, scope: string): Promise<SemaphoreProof> => {
      setProgress({ label: "Loading the proving files (about 6 MB, once)…", value: 0, max: 1 });
      const artifacts = await loadProvingArtifacts({
        onProgress: (loaded, total) => setProgress({ label: "Loading the proving files (about 6 MB, once)…", value: loaded, max: total }),
      });
      prover.current ??= createProver();
      setProgress({ label: "Making your proof on this device…" });
      try {
        return await prover.current.prove(
          { identity: identity.export(), members, message: message.toString(), scope, artifacts },
          (stage) => setProgress({ label: stage === "tree" ? "Building the membership tree…" : "Making your proof on this device (a few seconds)…" }),
        );
      } finally {
        setProgress(null);
      }
    },
    [setProgress],
  );
}

function ProgressNote({ progress }: { progress: Progress | null }) {
  return (
    <div aria-live="polite" className="min-h-6">
      {progress ? (
        <div className="flex flex-col gap-1">
          <span>{progress.label}</span>
          <progress className="w-full" value={progress.value} max={progress.max} aria-label={progress.label} />
        </div>
      ) : null}
    </div>
  );
}

function Pseudonym({ pseudonym, prove, registrationNumber }: { pseudonym: string; prove: (message: bigint) => Promise<SemaphoreProof>; registrationNumber: string }) {
  const [qr, setQr] = useState<string>();
  const [challenge, setChallenge] = useState("");
  const [state, setState] = useState<{ pending: boolean; error?: string; done?: boolean }>({ pending: false });
  useEffect(() => {
    void QRCode.toDataURL(pseudonym, { margin: 1, width: 220 }).then(setQr);
  }, [pseudonym]);
  const onAnswer = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const hex = challenge.toLowerCase().replace(/[^0-9a-f]/g, "");
    if (hex.length !== 32) {
      setState({ pending: false, error: "A challenge has 32 characters (0–9, a–f)." });
      return;
    }
    setState({ pending: true });
    void (async () => {
      try {
        await postHandover(hex, await prove(challengeMessage(hex)));
        setState({ pending: false, done: true });
      } catch (error) {
        setState({ pending: false, error: error instanceof Error ? error.message : "The proof was not accepted." });
      }
    })();
  };
  return (
    <Card title="Your pseudonym in this trial">
      <div className="flex flex-col gap-3">
        <p className="text-sm">
          The trial team keys your data by this number. Only this wallet can prove it is yours. It is different in every trial.
        </p>
        <p aria-label="Your pseudonym" className="break-all rounded-md bg-slate-100 p-2 font-mono text-sm dark:bg-slate-800">
          {pseudonym}
        </p>
        {qr ? <img src={qr} alt={`QR code of your pseudonym in ${registrationNumber}`} width={220} height={220} /> : null}
        <form onSubmit={onAnswer} className="flex flex-col gap-2">
          <label htmlFor="field-challenge" className="text-sm font-medium">
            Challenge from the trial team
          </label>
          <input
            id="field-challenge"
            value={challenge}
            onChange={(e) => setChallenge(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono dark:border-slate-600 dark:bg-slate-900"
            aria-describedby="challenge-hint"
          />
          <p id="challenge-hint" className="text-xs text-slate-600 dark:text-slate-400">
            When the trial team asks you to prove your pseudonym, type or scan the challenge their screen shows. Your device answers it with a proof.
          </p>
          <div>
            <button type="submit" disabled={state.pending} className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium dark:border-slate-600">
              {state.pending ? "Proving…" : "Prove my pseudonym"}
            </button>
          </div>
          <FormMessage error={state.error} success={state.done ? "Sent. The trial team's screen now shows your pseudonym as verified." : undefined} />
        </form>
      </div>
    </Card>
  );
}

function Consent({ registrationNumber }: { registrationNumber: string }) {
  const wallet = useWallet();
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string>();
  const [choices, setChoices] = useState<Record<number, boolean>>({});
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<{ error?: string; success?: string }>({});
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const makeProof = useProver(setProgress);

  const refresh = useCallback(async () => {
    try {
      const [group, overview, events] = await Promise.all([fetchGroup(registrationNumber), fetchOverview(registrationNumber), fetchEvents(registrationNumber)]);
      setData({ group, overview, events });
      setLoadError(undefined);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : "The trial could not be loaded.");
    }
  }, [registrationNumber]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const identity = useMemo(() => (data && wallet.master ? trialIdentity(wallet.master, data.group) : null), [data, wallet.master]);
  const pseudonym = useMemo(() => (identity && data ? trialPseudonym(identity.secretScalar, BigInt(data.group.scope)).toString() : null), [identity, data]);
  const enrolled = identity && data ? data.group.members.includes(identity.commitment.toString()) : false;
  const mine = data && pseudonym ? myDecisions(data.events, pseudonym) : null;
  const current = data?.overview.versions.find((v) => v.version === data.overview.currentVersion) ?? null;

  // Poll while something of ours is on its way: the enrolment or a decision.
  const waiting = !!data && (!enrolled || !data.group.acceptingDecisions || mine?.history.some((e) => e.status === "PENDING" || e.status === "SENT"));
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [waiting, refresh]);

  // Start the form from the current decision, for the items it still answers.
  const decidedKey = mine?.current ? `${mine.current.sequence}` : "none";
  useEffect(() => {
    if (!current || !data) return;
    const decision = mine?.current;
    const next: Record<number, boolean> = {};
    for (const item of current.items) {
      if (decision && answers(data.overview.versions, decision.textVersion, item)) next[item.number] = grantedItems(BigInt(decision.grants)).includes(item.number);
    }
    setChoices(next);
    // Deliberately keyed on the decision and the version only: a refresh that changes neither must
    // not reset what the participant is choosing.
  }, [decidedKey, current?.version]);

  if (loadError) return <FormMessage error={loadError} />;
  if (!data || !identity || !pseudonym || !mine) return <p role="status">Loading the trial…</p>;

  const canDecide = enrolled && data.group.acceptingDecisions;
  const prove = (message: bigint) => makeProof(identity, data.group.members, message, data.group.scope);
  const needsConfirmation =
    !!mine.current && !!current && current.items.some((item) => !answers(data.overview.versions, mine.current?.textVersion ?? 0, item));

  const decide = async (grants: bigint, label: string) => {
    if (!current) return;
    setResult({});
    try {
      const proof = await prove(packConsentMessage({ grants, textVersion: current.version, sequence: mine.nextSequence }));
      await postDecision(registrationNumber, proof);
      setResult({ success: `${label} It counts from now; it will show as recorded on chain in a moment.` });
      await refresh();
    } catch (error) {
      setProgress(null);
      setResult({ error: error instanceof Error ? error.message : "Your decision was not accepted." });
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!current) return;
    const missing = current.items.filter((item) => choices[item.number] === undefined);
    if (missing.length > 0) {
      setResult({ error: `Answer every item (${missing.length} left).` });
      return;
    }
    void decide(grantsMask(current.items.filter((item) => choices[item.number]).map((item) => item.number)), "Your choices were saved.");
  };

  return (
    <div className="flex flex-col gap-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">{data.overview.title || registrationNumber}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">
          {registrationNumber} ·{" "}
          <Link href={`/trials/${registrationNumber}/consent`} className="underline">
            public consent record
          </Link>
        </p>
      </header>

      <div role="status" className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
        {enrolled
          ? "You are a member of this trial's group on chain."
          : "Your enrolment is being added to the trial's group on chain. You can decide once it is there; this page checks every few seconds."}
      </div>

      {enrolled && !data.group.acceptingDecisions ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          Decisions open once {data.group.minGroupSize} participants have enrolled in this trial; {data.group.groupSize}{" "}
          {data.group.groupSize === 1 ? "has" : "have"} so far. Your decision is proven
          to come from one of the group&apos;s members without saying which, and in a smaller group that would say too much about who made it. This page
          checks every few seconds.
        </p>
      ) : null}

      {current ? (
        <Card title="Your consent choices">
          {needsConfirmation ? (
            <p role="alert" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
              The consent text changed since your last decision. Please read the items again and confirm your choices.
            </p>
          ) : null}
          <form onSubmit={onSubmit} className="flex flex-col gap-5">
            {current.items.map((item) => (
              <fieldset key={item.number} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                <legend className="px-1 font-medium">{item.text}</legend>
                <div className="mt-2 flex gap-6">
                  {[
                    { value: true, label: "Yes, I agree" },
                    { value: false, label: "No" },
                  ].map((option) => (
                    <label key={String(option.value)} className="flex items-center gap-2">
                      <input
                        type="radio"
                        name={`item-${item.number}`}
                        checked={choices[item.number] === option.value}
                        onChange={() => setChoices((c) => ({ ...c, [item.number]: option.value }))}
                      />
                      {option.label}
                    </label>
                  ))}
                </div>
              </fieldset>
            ))}
            <ProgressNote progress={progress} />
            <FormMessage error={result.error} success={result.success} />
            <div className="flex flex-wrap gap-3">
              <button type="submit" disabled={!canDecide || !!progress} className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600">
                Save my choices
              </button>
              {mine.current && BigInt(mine.current.grants) !== 0n ? (
                confirmWithdraw ? (
                  <button
                    type="button"
                    disabled={!!progress}
                    onClick={() => {
                      setConfirmWithdraw(false);
                      void decide(0n, "You withdrew your consent to everything.");
                    }}
                    className="rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-60"
                  >
                    Confirm: withdraw all consent
                  </button>
                ) : (
                  <button type="button" disabled={!canDecide || !!progress} onClick={() => setConfirmWithdraw(true)} className="rounded-md border border-red-700 px-4 py-2 font-medium text-red-700 dark:text-red-400">
                    Withdraw all consent
                  </button>
                )
              ) : null}
            </div>
          </form>
        </Card>
      ) : (
        <p>The trial team has not published consent items yet.</p>
      )}

      <Card title="Your history">
        {mine.history.length === 0 ? (
          <p>No decisions yet.</p>
        ) : (
          <ol className="flex flex-col gap-2">
            {mine.history.map((event) => {
              const version = data.overview.versions.find((v) => v.version === event.textVersion);
              const granted = grantedItems(BigInt(event.grants));
              return (
                <li key={event.sequence} className="text-sm">
                  <span className="font-medium">Decision {event.sequence}</span> (consent text version {event.textVersion}):{" "}
                  {granted.length === 0 ? "nothing granted" : `granted ${granted.map((n) => `“${version?.items.find((i) => i.number === n)?.text ?? `item ${n}`}”`).join(", ")}`}
                  . <span className="text-slate-600 dark:text-slate-400">{STATUS_TEXT[event.status]}{event.blockNumber ? ` (block ${event.blockNumber})` : ""}.</span>
                </li>
              );
            })}
          </ol>
        )}
      </Card>

      {enrolled ? <Pseudonym pseudonym={pseudonym} prove={prove} registrationNumber={registrationNumber} /> : null}
    </div>
  );
}

export function TrialConsent({ registrationNumber }: { registrationNumber: string }) {
  return (
    <WalletGate>
      <Consent registrationNumber={registrationNumber} />
    </WalletGate>
  );
}
