"use client";

import { useEffect, useState, useTransition } from "react";
import { FormMessage } from "@/app/_components/field";
import { qrCodeDataUrl } from "@/app/(sponsor)/orgs/[slug]/trials/[number]/consent/qr-code";
import { issueChallengeAction } from "@/lib/consent/actions";

/**
 * Issues a one-time challenge and waits for the participant's device to answer it with a proof
 * (POST /api/consent/handover, checked on the server). The page only reads the outcome:
 * GET /api/consent/handover/{id} every 2 s until the challenge is answered or expires.
 */

/** Every 2 s: the answer shows up about as fast as the participant looks up, at 450 requests per 15-minute challenge at most. */
const POLL_MS = 2_000;

type Challenge = { id: string; challenge: string; expiresAt: string; qr: string | null };
type Status =
  | { state: "idle" }
  | { state: "waiting" }
  | { state: "verified"; pseudonym: string }
  | { state: "expired" }
  | { state: "failed"; message: string };
type HandoverState = { registrationNumber: string; expired: boolean; pseudonym: string | null };

function parseHandover(body: unknown): HandoverState | null {
  if (typeof body !== "object" || body === null) return null;
  const { registrationNumber, expired, pseudonym } = body as Record<string, unknown>;
  if (typeof registrationNumber !== "string" || typeof expired !== "boolean") return null;
  if (pseudonym !== null && typeof pseudonym !== "string") return null;
  return { registrationNumber, expired, pseudonym };
}

function errorMessage(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" ? message : undefined;
}

/** "3f2a 9c01 …": eight groups of four, to read aloud and to type. */
const grouped = (hex: string) => hex.match(/.{1,4}/g)?.join(" ") ?? hex;

const buttonClass =
  "rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800";

export function PseudonymVerifier({ registrationNumber }: { registrationNumber: string }) {
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [issueError, setIssueError] = useState<string>();
  const [trouble, setTrouble] = useState(false);
  const [copied, setCopied] = useState<string>();
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    if (!challenge || status.state !== "waiting") return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const expired = () => Date.parse(challenge.expiresAt) <= Date.now();

    const poll = async () => {
      try {
        const response = await fetch(`/api/consent/handover/${encodeURIComponent(challenge.id)}`, {
          cache: "no-store",
          headers: { accept: "application/json" },
          signal: controller.signal,
        });
        const body: unknown = await response.json().catch(() => null);
        if (stopped) return;
        if (response.ok) {
          const handover = parseHandover(body);
          if (!handover || handover.registrationNumber !== registrationNumber) {
            setStatus({ state: "failed", message: "The portal's answer could not be read. Issue a new challenge." });
            return;
          }
          setTrouble(false);
          if (handover.pseudonym) return setStatus({ state: "verified", pseudonym: handover.pseudonym });
          if (handover.expired) return setStatus({ state: "expired" });
        } else if (response.status < 500 && response.status !== 429) {
          // Signed out, no longer a member, unknown challenge: asking again will not change it.
          setStatus({ state: "failed", message: errorMessage(body) ?? `The portal refused the request (HTTP ${response.status}).` });
          return;
        } else {
          setTrouble(true);
        }
      } catch {
        if (stopped) return;
        setTrouble(true);
      }
      // The server says "expired"; without it (the connection is down) the clock does.
      if (expired()) return setStatus({ state: "expired" });
      timer = setTimeout(() => void poll(), POLL_MS);
    };

    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [challenge, status.state, registrationNumber]);

  function issue() {
    setIssueError(undefined);
    startTransition(async () => {
      const result = await issueChallengeAction({ registrationNumber });
      if (!result.ok) {
        setIssueError(result.error.message);
        return;
      }
      const { id, challenge: hex, expiresAt } = result.data;
      const qr = await qrCodeDataUrl(hex).catch(() => null);
      setCopied(undefined);
      setTrouble(false);
      setChallenge({ id, challenge: hex, expiresAt: new Date(expiresAt).toISOString(), qr });
      setStatus({ state: "waiting" });
    });
  }

  async function copy(pseudonym: string) {
    try {
      await navigator.clipboard.writeText(pseudonym);
      setCopied("Pseudonym copied.");
    } catch {
      setCopied("Could not copy: select the pseudonym and copy it yourself.");
    }
  }

  const expiresAt = challenge ? new Date(challenge.expiresAt) : null;

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-3">
        <div>
          <button
            type="button"
            onClick={issue}
            disabled={pending}
            className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
          >
            {pending ? "Working…" : challenge ? "Issue a new challenge" : "Issue a challenge"}
          </button>
        </div>
        <FormMessage error={issueError} />
      </div>

      {challenge && expiresAt ? (
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          {challenge.qr ? (
            <img src={challenge.qr} alt="QR code of the challenge" width={200} height={200} className="size-50 shrink-0 bg-white" />
          ) : null}
          <div className="flex flex-col gap-3">
            <dl className="flex flex-col gap-2">
              <div>
                <dt className="text-sm font-medium">Challenge</dt>
                <dd className="font-mono text-2xl tracking-wider" data-testid="challenge">
                  {grouped(challenge.challenge)}
                </dd>
              </div>
              <div>
                <dt className="text-sm font-medium">Expires</dt>
                <dd>
                  <time dateTime={challenge.expiresAt}>{expiresAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>
                </dd>
              </div>
            </dl>
            <p className="max-w-prose text-sm text-slate-600 dark:text-slate-400">
              Ask the participant to open this trial in their wallet on their own device, choose “Prove my pseudonym”, and scan the QR code or type the
              challenge (spaces do not matter).
            </p>
          </div>
        </div>
      ) : null}

      <div role="status" aria-live="polite" aria-atomic="true" className="min-h-6" data-testid="handover-status">
        {status.state === "waiting" ? <p>Waiting for the participant&apos;s device…</p> : null}
        {status.state === "verified" ? (
          <p className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
            Verified: this participant controls pseudonym <span className="font-mono break-all" data-testid="verified-pseudonym">{status.pseudonym}</span>
          </p>
        ) : null}
        {status.state === "expired" ? <p>Expired — issue a new challenge</p> : null}
        {status.state === "failed" ? <p className="text-red-700 dark:text-red-400">{status.message}</p> : null}
      </div>
      {status.state === "waiting" && trouble ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">The portal cannot be reached at the moment; still trying.</p>
      ) : null}

      {status.state === "verified" ? (
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" className={buttonClass} onClick={() => void copy(status.pseudonym)}>
            Copy pseudonym
          </button>
          <span role="status" className="text-sm">
            {copied}
          </span>
        </div>
      ) : null}
    </div>
  );
}
