import { z } from "zod";
import { weakPasswordReason } from "@/lib/auth/password-strength";
import { singleLine } from "@/lib/schema/text";

/** Emails are compared lower-cased: RFC 5321 allows case-sensitive local parts, no provider uses them. */
export const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  // 254: the longest address SMTP can carry (RFC 5321 path limit less the angle brackets).
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.org." }));

/**
 * 12 characters minimum (NIST SP 800-63B allows 8; 12 resists offline guessing far better), 256
 * maximum so that hashing a hostile input stays cheap. No composition rules, as NIST advises.
 */
export const password = z
  .string({ error: "Enter a password." })
  .min(12, "Use at least 12 characters.")
  .max(256, "Use at most 256 characters.");

export const personName = singleLine("Enter your name.")
  .min(1, "Enter your name.")
  .max(120, "Use at most 120 characters.");

export const signUpInput = z
  .object({
    name: personName,
    email,
    password,
    accountType: z.enum(["SPONSOR", "RESEARCHER"], { error: "Choose what you sign up as." }),
    institution: singleLine().max(200, "Use at most 200 characters.").optional(),
  })
  .superRefine((input, ctx) => {
    if (input.accountType === "RESEARCHER" && !input.institution) {
      ctx.addIssue({ code: "custom", path: ["institution"], message: "Researchers name their institution." });
    }
    const weak = weakPasswordReason(input.password, { email: input.email, name: input.name });
    if (weak) ctx.addIssue({ code: "custom", path: ["password"], message: weak });
  });
export type SignUpInput = z.infer<typeof signUpInput>;

/** 2,048: the longest URL that browsers, proxies and logs all carry whole. */
const callbackUrl = singleLine().max(2048).optional();

export const signInInput = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(256),
  callbackUrl,
});

export const magicLinkInput = z.object({ email, callbackUrl });

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(256),
    newPassword: password,
    confirmPassword: z.string(),
  })
  .superRefine((input, ctx) => {
    if (input.newPassword !== input.confirmPassword) {
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The two new passwords differ." });
    }
    const weak = weakPasswordReason(input.newPassword, {});
    if (weak) ctx.addIssue({ code: "custom", path: ["newPassword"], message: weak });
  });

/**
 * A sign-up waiting for its address to be confirmed, stored with its own confirmation link
 * (VerificationToken.pendingSignUp) and applied only when that link is followed. The account row
 * of an unconfirmed address holds no password, so no later sign-up has one to replace (issue 8,
 * point 4; docs/security/accounts.md).
 */
export const pendingSignUp = z.object({
  name: z.string(),
  accountType: z.enum(["SPONSOR", "RESEARCHER"]),
  institution: z.string().optional(),
  passwordHash: z.string(),
});
export type PendingSignUp = z.infer<typeof pendingSignUp>;
