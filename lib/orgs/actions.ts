"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { action } from "@/lib/handler";
import { acceptInviteInput, committeeSeatInput, createOrgInput, inviteInput } from "@/lib/orgs/schema";
import { acceptInvite, changeCommitteeSeat, createOrganization, inviteMember } from "@/lib/orgs/service";

export const createOrgAction = action(
  { name: "orgs.create", access: ["sponsor"], input: createOrgInput },
  async ({ input, session }) => {
    const org = await createOrganization({ name: input.name, creator: session });
    redirect(`/orgs/${org.slug}`);
  },
);

export const inviteMemberAction = action(
  { name: "orgs.invite", access: ["sponsor"], input: inviteInput },
  async ({ input, session }) => {
    const invitation = await inviteMember({ ...input, inviter: session });
    revalidatePath("/orgs/[slug]", "page");
    return { link: invitation.link, email: input.email, expiresAt: invitation.expiresAt.toISOString() };
  },
);

export const acceptInviteAction = action(
  { name: "orgs.acceptInvite", access: ["sponsor"], input: acceptInviteInput },
  async ({ input, session }) => {
    const org = await acceptInvite({ token: input.token, user: session });
    // A committee seat changes the person's roles, and so the navigation in the root layout.
    revalidatePath("/", "layout");
    redirect(`/orgs/${org.slug}`);
  },
);

export const committeeSeatAction = action(
  { name: "orgs.committeeSeat", access: ["sponsor"], input: committeeSeatInput },
  async ({ input, session }) => {
    await changeCommitteeSeat({ ...input, actor: session });
    revalidatePath("/", "layout");
    return { seated: input.seated };
  },
);
