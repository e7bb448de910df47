import type { Metadata } from "next";
import { PageTitle } from "@/app/_components/field";
import { EnrolForm } from "./enrol-form";

export const metadata: Metadata = { title: "Enrol in a trial" };

export default function EnrolPage() {
  return (
    <>
      <PageTitle lead="Your trial team gave you a single-use code. It adds this device's anonymous membership to the trial.">Enrol in a trial</PageTitle>
      <EnrolForm />
    </>
  );
}
