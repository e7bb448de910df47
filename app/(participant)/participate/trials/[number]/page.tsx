import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { registrationNumberSegment } from "@/lib/schema/values";
import { TrialConsent } from "./trial-consent";

export const metadata: Metadata = { title: "Your consent" };

export default async function ParticipantTrialPage({ params }: { params: Promise<{ number: string }> }) {
  const number = registrationNumberSegment((await params).number);
  if (!number) notFound();
  return <TrialConsent registrationNumber={number} />;
}
