"use client";

import { useTransition } from "react";
import { signOutAction } from "@/lib/auth/actions";

export function SignOutButton() {
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => start(async () => void (await signOutAction({})))}
      className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      Sign out
    </button>
  );
}
