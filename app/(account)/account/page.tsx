import type { Metadata } from "next";
import { Card, PageTitle } from "@/app/_components/field";
import { PasswordForm } from "@/app/(account)/account/password-form";
import { SessionsForm } from "@/app/(account)/account/sessions-form";
import { getProfile } from "@/lib/auth/data";
import { currentSessionId, requirePageAccess } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { otherLiveSessions } from "@/lib/sessions/service";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const session = await requirePageAccess("signed-in", "/account");
  const [profile, others] = await Promise.all([getProfile(session.id), otherLiveSessions(session.id, await currentSessionId())]);
  return (
    <>
      <PageTitle>Your account</PageTitle>
      <div className="flex flex-col gap-6">
        <Card title="Profile">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt className="font-medium">Name</dt>
            <dd>{profile?.name}</dd>
            <dt className="font-medium">Email</dt>
            <dd>{profile?.email}</dd>
            <dt className="font-medium">Account type</dt>
            <dd>{profile?.accountType === "SPONSOR" ? "Sponsor staff" : "Researcher"}</dd>
            {profile?.institution ? (
              <>
                <dt className="font-medium">Institution</dt>
                <dd>{profile.institution.name}</dd>
              </>
            ) : null}
          </dl>
        </Card>
        <Card title="Change password">
          <PasswordForm />
        </Card>
        <Card title="Where you are signed in">
          <SessionsForm others={others} idleMinutes={env().SESSION_IDLE_MINUTES} absoluteHours={env().SESSION_ABSOLUTE_HOURS} />
        </Card>
      </div>
    </>
  );
}
