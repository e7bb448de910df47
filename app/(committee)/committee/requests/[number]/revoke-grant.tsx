"use client";

import { useEffect, useRef, useState } from "react";
import { FormMessage } from "@/app/_components/field";
import { TextArea } from "@/app/(committee)/committee/requests/[number]/text-area";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { revokeGrantAction } from "@/lib/access/actions";

const buttonClass = "rounded-md px-4 py-2 font-medium disabled:opacity-60";

/**
 * Revoking a grant ends it at once (and its visa leaves the passport), so it takes two steps:
 * "Revoke" opens the form, which asks for the reason and a second, explicit confirmation.
 * Focus moves into the form when it opens and back to "Revoke" when it is cancelled.
 */
export function RevokeGrant({ grantId, who }: { grantId: string; who: string }) {
  const revoke = useDraftAction(revokeGrantAction);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  const id = `revoke-${grantId}`;
  const fe = revoke.error?.fieldErrors?.reason;

  useEffect(() => {
    if (open) area.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  useEffect(() => {
    if (revoke.error) area.current?.focus();
  }, [revoke.error]);

  if (revoke.done) return <FormMessage success={`Access of ${who} revoked.`} />;
  if (!open) {
    return (
      <button ref={opener} type="button" onClick={() => setOpen(true)} aria-label={`Revoke access of ${who}`} className={`${buttonClass} self-start border border-red-700 text-red-800 hover:bg-red-50 dark:border-red-400 dark:text-red-300 dark:hover:bg-red-950`}>
        Revoke
      </button>
    );
  }
  return (
    <form
      className="flex flex-col gap-3 rounded-md border border-red-300 p-3 dark:border-red-800"
      noValidate
      aria-label={`Revoke access of ${who}`}
      onSubmit={(event) => {
        event.preventDefault();
        revoke.submit({ grantId, reason });
      }}
    >
      <FormMessage error={revoke.error && !fe ? revoke.error.message : undefined} />
      <TextArea
        id={`${id}-reason`}
        name="reason"
        label="Reason for revoking access"
        hint={`Mandatory, at least 10 characters. Access of ${who} ends at once; the reason is shown to the researcher and kept in the request's history.`}
        ref={area}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        errors={fe}
      />
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={revoke.pending} className={`${buttonClass} bg-red-700 text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-500`}>
          {revoke.pending ? "Working…" : "Confirm revocation"}
        </button>
        <button type="button" onClick={() => setOpen(false)} className={`${buttonClass} border border-slate-300 dark:border-slate-600`}>
          Cancel
        </button>
      </div>
    </form>
  );
}
