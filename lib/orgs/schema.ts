import { z } from "zod";
import { email } from "@/lib/auth/schema";
import { singleLine } from "@/lib/schema/text";
import { recordId } from "@/lib/schema/values";

export const orgName = singleLine("Enter the organisation's name.")
  .min(2, "Use at least 2 characters.")
  // 120: registries (WHO ICTRP) truncate sponsor names well before this.
  .max(120, "Use at most 120 characters.");

export const createOrgInput = z.object({ name: orgName });

export const inviteInput = z.object({
  orgId: recordId,
  email,
  role: z.enum(["ADMIN", "MEMBER"], { error: "Choose a role." }),
  committee: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
});

/** Invitation tokens are 32 random bytes, base64url: 43 characters. */
export const acceptInviteInput = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid.") });

export const committeeSeatInput = z.object({
  orgId: recordId,
  userId: recordId,
  seated: z.preprocess((v) => v === "true" || v === true, z.boolean()),
});

/** A URL slug from a name: lower-case ASCII words joined by hyphens, at most 48 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || "org";
}
