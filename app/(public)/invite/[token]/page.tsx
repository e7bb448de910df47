import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/app/_components/field";
import { AcceptInviteForm } from "@/app/(public)/invite/[token]/accept-form";
import { currentSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { describeInvitation } from "@/lib/orgs/service";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation;
  try {
    invitation = await describeInvitation(token);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <>
        <PageTitle>Invitation</PageTitle>
        <p role="alert">{error.message}</p>
      </>
    );
  }
  const session = await currentSession();
  const here = `/invite/${token}`;
  return (
    <>
      <PageTitle lead={`You are invited to join ${invitation.org.name} as ${invitation.role === "ADMIN" ? "an administrator" : "a member"}${invitation.committee ? ", with a seat on its data-access committee" : ""}.`}>
        Join {invitation.org.name}
      </PageTitle>
      {session ? (
        <div className="flex max-w-md flex-col gap-3">
          <p>
            Signed in as <strong>{session.email}</strong>. The invitation is for <strong>{invitation.email}</strong>.
          </p>
          <AcceptInviteForm token={token} />
        </div>
      ) : (
        <p>
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`} className="underline">Sign in</Link> or{" "}
          <Link href="/sign-up" className="underline">create a sponsor account</Link> with {invitation.email}, then open this
          link again.
        </p>
      )}
    </>
  );
}
