import type { Metadata } from "next";
import { PageTitle } from "@/app/_components/field";
import { Verifier } from "@/app/(public)/verify/verifier";
import { trustedContract } from "@/lib/chain/service";

export const metadata: Metadata = { title: "Verify a file or receipt" };

export default async function VerifyPage() {
  const registry = await trustedContract("TrialRegistry");
  return (
    <>
      <PageTitle lead="Check that a file was registered, and when, without trusting this portal: your browser hashes the file (it never leaves your device), checks the receipt's Merkle path and asks the chain itself.">
        Verify a file or receipt
      </PageTitle>
      <Verifier registry={registry} />
    </>
  );
}
