import type { Metadata } from "next";
import { TrialConsent } from "./trial-consent";

export const metadata: Metadata = { title: "Your consent" };

export default async function ParticipantTrialPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  return <TrialConsent registrationNumber={decodeURIComponent(number)} />;
}
