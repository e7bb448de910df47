"use client";

import { useActionState } from "react";
import { committeeSeatAction } from "@/lib/orgs/actions";
import type { ActionResult } from "@/lib/handler";

export function CommitteeToggle({ orgId, userId, seated, name }: { orgId: string; userId: string; seated: boolean; name: string }) {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(committeeSeatAction, null);
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="seated" value={seated ? "false" : "true"} />
      <button type="submit" disabled={pending} className="text-sm underline" aria-label={`${seated ? "Remove" : "Give"} committee seat: ${name}`}>
        {seated ? "Remove seat" : "Give seat"}
      </button>
      {state && !state.ok ? <span role="alert" className="ml-2 text-sm text-red-700">{state.error.message}</span> : null}
    </form>
  );
}
