import type { Metadata } from "next";
import { PageTitle } from "@/app/_components/field";

export const metadata: Metadata = { title: "Check your email" };

/**
 * After a magic-link request, and after sign-up (`?for=sign-up`). Both say the same whether or
 * not the address has an account: only the mail itself tells its owner.
 */
export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<{ email?: string; for?: string }> }) {
  const { email, for: purpose } = await searchParams;
  const who = email ? <strong>{email}</strong> : "that address";
  return (
    <>
      <PageTitle>Check your email</PageTitle>
      {purpose === "sign-up" ? (
        <p role="status">
          We sent a mail to {who}. Follow its link within 15 minutes to confirm your address and sign in; until then the
          account cannot be used. If the address already has an account, the mail says so.
        </p>
      ) : (
        <p role="status">
          If {who} has a TrialLedger account, a sign-in link is on its way. It works once, within 15 minutes.
        </p>
      )}
    </>
  );
}
