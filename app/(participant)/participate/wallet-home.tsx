"use client";

import Link from "next/link";
import { useState } from "react";
import { Card, FormMessage } from "@/app/_components/field";
import { fetchConsentTrials, fetchGroup } from "@/lib/consent/device";
import { trialIdentity } from "@/lib/wallet/derive";
import { useWallet } from "./wallet-context";
import { WalletGate } from "./wallet-forms";

const button =
  "rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800";

/** After a restore from the recovery phrase: finds this wallet's trials by checking each group locally. */
function FindTrials() {
  const wallet = useWallet();
  const [state, setState] = useState<{ busy: boolean; found?: number; error?: string }>({ busy: false });
  const find = async () => {
    const master = wallet.master;
    if (!master) return;
    setState({ busy: true });
    try {
      const { trials } = await fetchConsentTrials();
      let found = 0;
      for (const trial of trials) {
        const { commitment } = trialIdentity(master, trial);
        const group = await fetchGroup(trial.registrationNumber);
        if (group.members.includes(commitment.toString())) {
          await wallet.addTrial({ registrationNumber: trial.registrationNumber, chainTrialId: trial.chainTrialId, title: trial.title });
          found++;
        }
      }
      setState({ busy: false, found });
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : "The search failed." });
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <button type="button" className={button} onClick={() => void find()} disabled={state.busy}>
        {state.busy ? "Searching…" : "Find my trials"}
      </button>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Downloads every trial&apos;s public member list and looks for your wallet in it on this device; the portal does not learn which trials are yours.
      </p>
      <div aria-live="polite">{state.found !== undefined ? <p>Found {state.found === 1 ? "1 trial" : `${state.found} trials`}.</p> : null}</div>
      <FormMessage error={state.error} />
    </div>
  );
}

function RecoveryPhrase() {
  const wallet = useWallet();
  const [shown, setShown] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm">
        Write these 24 words on paper and keep them somewhere safe. Anyone with them can act as you in your trials; without them (or a
        backup file and its passphrase) a lost device means you can no longer change or withdraw your consent. The trial team can
        enrol you again with a new code, but as a new pseudonym.
      </p>
      {shown ? (
        <>
          <p aria-label="Recovery phrase" className="rounded-md bg-slate-100 p-3 font-mono text-sm leading-7 dark:bg-slate-800">
            {shown}
          </p>
          <button type="button" className={button} onClick={() => setShown(null)}>
            Hide recovery phrase
          </button>
        </>
      ) : (
        <button type="button" className={button} onClick={() => setShown(wallet.phrase())}>
          Show recovery phrase
        </button>
      )}
    </div>
  );
}

function Unlocked() {
  const wallet = useWallet();
  const trials = wallet.contents?.trials ?? [];
  return (
    <div className="flex flex-col gap-6">
      {trials.length === 0 ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          Before you enrol, back up your wallet below: write down the recovery phrase or download the backup file. If this browser&apos;s
          data is cleared and you have neither, you can no longer change or withdraw your consent.
        </p>
      ) : null}
      <Card title="Your trials">
        {trials.length === 0 ? (
          <p>No trials on this device yet.</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {trials.map((t) => (
              <li key={t.chainTrialId}>
                <Link href={`/participate/trials/${t.registrationNumber}`} className="text-sky-700 underline dark:text-sky-400">
                  {t.title || t.registrationNumber}
                </Link>{" "}
                <span className="text-sm text-slate-600 dark:text-slate-400">({t.registrationNumber})</span>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-4">
          <Link href="/participate/enrol" className="text-sky-700 underline dark:text-sky-400">
            Enrol with a code from your trial team
          </Link>
        </p>
        <div className="mt-4">
          <FindTrials />
        </div>
      </Card>
      <Card title="Back up your wallet">
        <div className="flex flex-col gap-4">
          <p className="text-sm">
            The backup file is encrypted with your passphrase. Keep it with your other important files; you need it and the passphrase
            to use another device.
          </p>
          <div>
            <button type="button" className={button} onClick={() => wallet.downloadBackup()}>
              Download backup file
            </button>
          </div>
          <RecoveryPhrase />
        </div>
      </Card>
      <div className="flex gap-3">
        <button type="button" className={button} onClick={() => wallet.lock()}>
          Lock wallet
        </button>
      </div>
    </div>
  );
}

export function WalletHome() {
  return (
    <WalletGate>
      <Unlocked />
    </WalletGate>
  );
}
