"use client";

import { useState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { secondaryButtonClass } from "@/app/(researcher)/requests/[number]/controls";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { inviteMemberAction, removeMemberAction } from "@/lib/access/actions";

/** Invites a colleague by e-mail: they get a link, sign in with a researcher account and accept the agreement. */
export function InviteMemberForm({ number }: { number: string }) {
  const { pending, error, done, submit } = useDraftAction(inviteMemberAction);
  const [invited, setInvited] = useState("");
  const [email, setEmail] = useState("");
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setInvited(email.trim());
        submit({ number, email: email.trim() });
      }}
    >
      <FormMessage
        error={error && !error.fieldErrors?.email ? error.message : undefined}
        success={done && invited ? `Invitation sent to ${invited}.` : undefined}
      />
      <Field
        name="email"
        id="request-invite-email"
        type="email"
        autoComplete="off"
        label="Colleague's e-mail address"
        hint="They need a researcher account on the portal; the invitation link asks them to accept the data use agreement."
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        errors={error?.fieldErrors?.email}
      />
      <div>
        <SubmitButton pending={pending}>Invite to the team</SubmitButton>
      </div>
    </form>
  );
}

export function RemoveMemberButton({ number, memberId, who }: { number: string; memberId: string; who: string }) {
  const { pending, error, submit } = useDraftAction(removeMemberAction);
  return (
    <>
      <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => submit({ number, memberId })} aria-label={`Remove ${who} from the team`}>
        Remove
      </button>
      {error ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error.message}
        </span>
      ) : null}
    </>
  );
}
