import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/app/_components/field";

export const metadata: Metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <>
      <PageTitle>You do not have access to that page</PageTitle>
      <p>
        Your account&apos;s role does not include it. Go to your <Link href="/dashboard" className="underline">dashboard</Link>.
      </p>
    </>
  );
}
