"use client";

import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { type CodeCheck, PortalError, checkCode, redeemCode } from "@/lib/consent/device";
import { codeFromFragment } from "@/lib/consent/schema";
import { trialIdentity } from "@/lib/wallet/derive";
import { useWallet } from "../wallet-context";
import { WalletGate } from "../wallet-forms";

/**
 * Enrolment: check the code (spends nothing, names the trial), then enrol: this device derives its
 * identity for that trial and sends only the commitment with the code. The code arrives in the URL
 * fragment (#code=…) from the printed QR code, so it never reaches a server log.
 */
function Enrol() {
  const wallet = useWallet();
  const [code, setCode] = useState("");
  const [trial, setTrial] = useState<CodeCheck | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ number: string; already: boolean } | null>(null);

  useEffect(() => {
    const fromLink = codeFromFragment(window.location.hash);
    if (fromLink) setCode(fromLink);
  }, []);

  const run = async (work: () => Promise<void>) => {
    setPending(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Something went wrong.");
    } finally {
      setPending(false);
    }
  };

  const onCheck = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => setTrial(await checkCode(code)));
  };

  const onEnrol = () =>
    void run(async () => {
      if (!trial || !wallet.master) return;
      const { commitment } = trialIdentity(wallet.master, trial);
      let already = false;
      try {
        await redeemCode(code, commitment.toString());
      } catch (e) {
        if (!(e instanceof PortalError && e.code === "CONFLICT")) throw e;
        already = true;
      }
      await wallet.addTrial({ registrationNumber: trial.registrationNumber, chainTrialId: trial.chainTrialId, title: trial.title });
      setDone({ number: trial.registrationNumber, already });
    });

  if (done) {
    return (
      <FormMessage
        success={
          <>
            <p>{done.already ? "This wallet was already enrolled in this trial; your code was not used." : "You are enrolled. Your membership is being added to the trial's group on chain."}</p>
            <p className="mt-2">
              <Link href={`/participate/trials/${done.number}`} className="underline">
                Continue to your consent choices
              </Link>
            </p>
          </>
        }
      />
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={onCheck} className="flex flex-col gap-4">
        <Field
          name="code"
          label="Enrolment code"
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            setTrial(null);
          }}
          autoComplete="off"
          spellCheck={false}
          required
          hint="20 letters and digits from the sheet your trial team gave you, like ABCD-EFGH-JKMN-PQRS-TVWX."
        />
        {!trial ? (
          <div>
            <SubmitButton pending={pending}>Check code</SubmitButton>
          </div>
        ) : null}
      </form>
      {trial ? (
        <section aria-labelledby="enrol-trial" className="flex flex-col gap-3 rounded-md border border-slate-200 p-4 dark:border-slate-700">
          <h2 id="enrol-trial" className="font-semibold">
            {trial.title || trial.registrationNumber}
          </h2>
          <p className="text-sm">
            Registration number {trial.registrationNumber}. Enrolling uses your code once and adds an anonymous membership to this trial.
            The portal does not learn who you are, and your membership cannot be linked to the code or to your other trials.
          </p>
          <div>
            <button
              type="button"
              onClick={onEnrol}
              disabled={pending}
              className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600"
            >
              {pending ? "Working…" : "Enrol in this trial"}
            </button>
          </div>
        </section>
      ) : null}
      <FormMessage error={error} />
    </div>
  );
}

export function EnrolForm() {
  return (
    <WalletGate>
      <Enrol />
    </WalletGate>
  );
}
