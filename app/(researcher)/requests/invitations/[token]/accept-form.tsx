"use client";

import { useRouter } from "next/navigation";
import { useTransition, useState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { acceptInvitationAction } from "@/lib/access/actions";

/** Joins the request's team and accepts the agreement shown above, in one act; then opens the request. */
export function AcceptInvitationForm({ token }: { token: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          const result = await acceptInvitationAction({ token });
          if (result.ok) router.push(`/requests/${result.data.number}`);
          else setError(result.error.message);
        });
      }}
    >
      <FormMessage error={error} />
      <div>
        <SubmitButton pending={pending}>Join the team and accept the agreement</SubmitButton>
      </div>
    </form>
  );
}
