import type { Metadata } from "next";
import { PageTitle } from "@/app/_components/field";
import { WalletHome } from "./wallet-home";

export const metadata: Metadata = { title: "Participate" };

export default function ParticipatePage() {
  return (
    <>
      <PageTitle lead="Give, change or withdraw your consent without an account and without telling the portal who you are. Your choices are proven with zero-knowledge proofs made on this device.">
        Your consent wallet
      </PageTitle>
      <WalletHome />
    </>
  );
}
