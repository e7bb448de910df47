"use client";

import { FormMessage, SubmitButton } from "@/app/_components/field";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { acceptAgreementAction } from "@/lib/access/actions";

/** The signed-in member accepts the data use agreement shown above it, personally. */
export function AcceptAgreementForm({ number, version }: { number: string; version: number }) {
  const { pending, error, done, submit } = useDraftAction(acceptAgreementAction);
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit({ number });
      }}
    >
      <FormMessage error={error?.message} success={done ? `You accepted the data use agreement, version ${version}.` : undefined} />
      <div>
        <SubmitButton pending={pending}>I accept the data use agreement</SubmitButton>
      </div>
    </form>
  );
}
