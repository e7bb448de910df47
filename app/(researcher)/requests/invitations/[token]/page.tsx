import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PageTitle } from "@/app/_components/field";
import { AcceptInvitationForm } from "@/app/(researcher)/requests/invitations/[token]/accept-form";
import { describeMemberInvitation } from "@/lib/access/service";
import { currentSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Invitation to a request's team" };

/**
 * A colleague invited to an access request's team: signed in as a researcher, they read the
 * request's title, who invited them and the data use agreement, and accept it to join. Without a
 * session they sign in first and come back here; the request is not shown to anyone unsigned.
 */
export default async function RequestInvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const here = `/requests/invitations/${encodeURIComponent(token)}`;
  const session = await currentSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(here)}`);
  if (!session.roles.includes("researcher")) {
    return (
      <>
        <PageTitle>Invitation to a request&apos;s team</PageTitle>
        <p className="max-w-prose">
          A request&apos;s team is made of researcher accounts, and you are signed in as {session.email} without one.{" "}
          <Link href="/sign-up" className="underline">
            Create a researcher account
          </Link>{" "}
          with the address the invitation was sent to, then open this link again.
        </p>
      </>
    );
  }
  let invitation;
  try {
    invitation = await describeMemberInvitation(token);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <>
        <PageTitle>Invitation to a request&apos;s team</PageTitle>
        <p role="alert">{error.message}</p>
      </>
    );
  }
  return (
    <>
      <PageTitle lead={`${invitation.invitedBy} invites you to the team of access request ${invitation.number}.`}>
        {invitation.title || "An access request"}
      </PageTitle>
      <div className="flex max-w-prose flex-col gap-4">
        <p>
          Signed in as <strong>{session.email}</strong>. The invitation is for <strong>{invitation.email}</strong>. To join you accept the data use agreement
          personally (version {invitation.agreement.version}):
        </p>
        <div className="max-h-96 overflow-y-auto rounded-md bg-slate-50 p-3 text-sm whitespace-pre-line dark:bg-slate-900" tabIndex={0} role="region" aria-label="Data use agreement text" data-testid="agreement-text">
          {invitation.agreement.text}
        </div>
        <AcceptInvitationForm token={token} />
      </div>
    </>
  );
}
