import type { Metadata } from "next";
import { PageTitle } from "@/app/_components/field";

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const { email } = await searchParams;
  return (
    <>
      <PageTitle>Check your email</PageTitle>
      <p role="status">
        If {email ? <strong>{email}</strong> : "that address"} has a TrialLedger account, a sign-in link is on its way. It works
        once, within 15 minutes.
      </p>
    </>
  );
}
