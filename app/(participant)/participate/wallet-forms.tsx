"use client";

import { type FormEvent, type ReactNode, useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { passphraseProblem } from "@/lib/wallet/vault";
import { useWallet } from "./wallet-context";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** Runs a form's async work with pending state and an announced error. */
function useSubmit(work: (form: FormData) => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      await work(new FormData(event.currentTarget));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  };
  return { pending, error, onSubmit: (event: FormEvent<HTMLFormElement>) => void onSubmit(event) };
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export function CreateWalletForm() {
  const wallet = useWallet();
  const { pending, error, onSubmit } = useSubmit(async (form) => {
    const passphrase = text(form, "passphrase");
    const problem = passphraseProblem(passphrase);
    if (problem) throw new Error(problem);
    if (passphrase !== text(form, "confirm")) throw new Error("The two passphrases differ.");
    await wallet.create(passphrase);
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-labelledby="create-wallet">
      <h2 id="create-wallet" className="text-lg font-semibold">
        Create your consent wallet
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Your wallet is made on this device and never sent to the portal. It holds the secret that proves you are a participant
        without saying who you are. The passphrase encrypts it here; the portal cannot reset it.
      </p>
      <Field name="passphrase" label="Passphrase" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters. A few unrelated words work well." />
      <Field name="confirm" label="Passphrase again" type="password" autoComplete="new-password" required />
      <FormMessage error={error} />
      <div>
        <SubmitButton pending={pending}>Create wallet</SubmitButton>
      </div>
    </form>
  );
}

export function UnlockWalletForm() {
  const wallet = useWallet();
  const { pending, error, onSubmit } = useSubmit(async (form) => wallet.unlock(text(form, "passphrase")));
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" aria-labelledby="unlock-wallet">
      <h2 id="unlock-wallet" className="text-lg font-semibold">
        Unlock your wallet
      </h2>
      <Field name="passphrase" label="Passphrase" type="password" autoComplete="current-password" required />
      <FormMessage error={error} />
      <div>
        <SubmitButton pending={pending}>Unlock</SubmitButton>
      </div>
    </form>
  );
}

export function RestoreWalletForms() {
  const wallet = useWallet();
  const backup = useSubmit(async (form) => {
    const file = form.get("backup");
    if (!(file instanceof File) || file.size === 0) throw new Error("Choose your backup file.");
    await wallet.restoreFromBackup(await file.text(), text(form, "passphrase"));
  });
  const phrase = useSubmit(async (form) => {
    const passphrase = text(form, "passphrase");
    const problem = passphraseProblem(passphrase);
    if (problem) throw new Error(problem);
    await wallet.restoreFromPhrase(text(form, "phrase"), passphrase);
  });
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <form onSubmit={backup.onSubmit} className="flex flex-col gap-4" aria-labelledby="restore-backup">
        <h3 id="restore-backup" className="font-semibold">
          From a backup file
        </h3>
        <div className="flex flex-col gap-1">
          <label htmlFor="field-backup" className="text-sm font-medium">
            Backup file
          </label>
          <input id="field-backup" name="backup" type="file" accept="application/json,.json" required className="text-sm" />
        </div>
        <Field name="passphrase" id="field-backup-passphrase" label="The backup's passphrase" type="password" autoComplete="current-password" required />
        <FormMessage error={backup.error} />
        <div>
          <SubmitButton pending={backup.pending}>Restore from backup</SubmitButton>
        </div>
      </form>
      <form onSubmit={phrase.onSubmit} className="flex flex-col gap-4" aria-labelledby="restore-phrase">
        <h3 id="restore-phrase" className="font-semibold">
          From your recovery phrase
        </h3>
        <div className="flex flex-col gap-1">
          <label htmlFor="field-phrase" className="text-sm font-medium">
            Recovery phrase (24 words)
          </label>
          <textarea id="field-phrase" name="phrase" required rows={3} autoComplete="off" spellCheck={false} className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm dark:border-slate-600 dark:bg-slate-900" />
        </div>
        <Field name="passphrase" id="field-phrase-passphrase" label="New passphrase for this device" type="password" autoComplete="new-password" required minLength={10} />
        <FormMessage error={phrase.error} />
        <div>
          <SubmitButton pending={phrase.pending}>Restore from phrase</SubmitButton>
        </div>
      </form>
    </div>
  );
}

/** Renders `children` only with an unlocked wallet; otherwise the form that gets there. */
export function WalletGate({ children }: { children: ReactNode }) {
  const wallet = useWallet();
  if (wallet.status === "loading") return <p role="status">Opening your wallet…</p>;
  if (wallet.status === "locked") return <UnlockWalletForm />;
  if (wallet.status === "damaged") {
    return (
      <div className="flex flex-col gap-6">
        <FormMessage error="The wallet stored in this browser cannot be read. Restore it from your backup file or recovery phrase; restoring replaces the unreadable copy." />
        <RestoreWalletForms />
      </div>
    );
  }
  if (wallet.status === "none") {
    return (
      <div className="flex flex-col gap-8">
        <CreateWalletForm />
        <details className="rounded-md border border-slate-200 p-4 dark:border-slate-700">
          <summary className="cursor-pointer font-medium">I already have a wallet on another device</summary>
          <div className="mt-4">
            <RestoreWalletForms />
          </div>
        </details>
      </div>
    );
  }
  return <>{children}</>;
}
