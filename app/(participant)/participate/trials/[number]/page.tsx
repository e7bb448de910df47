import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { registrationNumberSegment } from "@/lib/schema/values";
import { TrialConsent } from "./trial-consent";

export const metadata: Metadata = { title: "Your consent" };

export default async function ParticipantTrialPage({ params }: { params: Promise<{ number: string }> }) {
  const number = registrationNumberSegment((await params).number);
  if (!number) notFound();
  return (
    <>
      <TrialConsent registrationNumber={number} />
      <p className="mt-8 text-sm"><Link href={`/access?trial=${number}`} className="text-sky-700 underline dark:text-sky-400">Who has been given access to this trial&apos;s data</Link>: the public access register.</p>
    </>
  );
}
