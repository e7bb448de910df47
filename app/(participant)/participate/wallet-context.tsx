"use client";

import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { saveFile } from "@/app/_components/save-file";
import { backupFileName, parseBackup, serializeBackup } from "@/lib/wallet/backup";
import { createMasterSecret, masterFromPhrase, recoveryPhrase } from "@/lib/wallet/derive";
import { clearSealed, loadSealed, saveSealed } from "@/lib/wallet/store";
import { type WalletContents, type WalletTrial, masterSecretOf, newWalletContents, openWallet, sealWallet } from "@/lib/wallet/vault";

/**
 * The participant's wallet on this device, for every participant page. Only the sealed (encrypted)
 * wallet is ever stored (localStorage); the master secret and the passphrase live in this tab's
 * memory while it is unlocked and are gone on reload or "Lock". Threat model: lib/wallet/vault.ts.
 */

/** "damaged": something is stored but cannot be read — never overwrite it silently with a new wallet. */
export type WalletStatus = "loading" | "none" | "damaged" | "locked" | "unlocked";

type Wallet = {
  status: WalletStatus;
  contents: WalletContents | null;
  master: Uint8Array | null;
  create(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  restoreFromBackup(text: string, passphrase: string): Promise<void>;
  restoreFromPhrase(phrase: string, passphrase: string): Promise<void>;
  addTrial(trial: Omit<WalletTrial, "addedAt">): Promise<void>;
  lock(): void;
  forget(): void;
  downloadBackup(): void;
  phrase(): string | null;
};

const WalletContext = createContext<Wallet | null>(null);

export function useWallet(): Wallet {
  const wallet = useContext(WalletContext);
  if (!wallet) throw new Error("useWallet outside WalletProvider");
  return wallet;
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<WalletStatus>("loading");
  const [contents, setContents] = useState<WalletContents | null>(null);
  const [passphrase, setPassphrase] = useState<string | null>(null);

  useEffect(() => {
    try {
      setStatus(loadSealed(window.localStorage) ? "locked" : "none");
    } catch {
      setStatus("damaged");
    }
  }, []);

  const keep = useCallback(async (next: WalletContents, secret: string) => {
    saveSealed(window.localStorage, await sealWallet(next, secret));
    setContents(next);
    setPassphrase(secret);
    setStatus("unlocked");
  }, []);

  const wallet = useMemo<Wallet>(
    () => ({
      status,
      contents,
      master: contents ? masterSecretOf(contents) : null,
      async create(secret) {
        await keep(newWalletContents(createMasterSecret(), new Date()), secret);
      },
      async unlock(secret) {
        const sealed = loadSealed(window.localStorage);
        if (!sealed) throw new Error("There is no wallet on this device.");
        setContents(await openWallet(sealed, secret));
        setPassphrase(secret);
        setStatus("unlocked");
      },
      async restoreFromBackup(text, secret) {
        const sealed = parseBackup(text);
        const opened = await openWallet(sealed, secret);
        saveSealed(window.localStorage, sealed);
        setContents(opened);
        setPassphrase(secret);
        setStatus("unlocked");
      },
      async restoreFromPhrase(phrase, secret) {
        await keep(newWalletContents(masterFromPhrase(phrase), new Date()), secret);
      },
      async addTrial(trial) {
        if (!contents || !passphrase) throw new Error("Unlock your wallet first.");
        if (contents.trials.some((t) => t.chainTrialId === trial.chainTrialId)) return;
        await keep({ ...contents, trials: [...contents.trials, { ...trial, addedAt: new Date().toISOString() }] }, passphrase);
      },
      lock() {
        setContents(null);
        setPassphrase(null);
        setStatus(loadSealed(window.localStorage) ? "locked" : "none");
      },
      forget() {
        clearSealed(window.localStorage);
        setContents(null);
        setPassphrase(null);
        setStatus("none");
      },
      downloadBackup() {
        const sealed = loadSealed(window.localStorage);
        if (!sealed) return;
        saveFile(backupFileName(new Date()), "application/json", serializeBackup(sealed));
      },
      phrase() {
        return contents ? recoveryPhrase(masterSecretOf(contents)) : null;
      },
    }),
    [status, contents, passphrase, keep],
  );

  return <WalletContext.Provider value={wallet}>{children}</WalletContext.Provider>;
}
