import type { Metadata } from "next";
import { PageTitle } from "@/app/_components/field";
import { SignUpForm } from "@/app/(public)/sign-up/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <>
      <PageTitle lead="Accounts are for sponsor staff and researchers. Participants take part without an account.">
        Create an account
      </PageTitle>
      <SignUpForm />
    </>
  );
}
