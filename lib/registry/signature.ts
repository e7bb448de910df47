import { z } from "zod";

/**
 * Registering and amending a trial are signed acts (21 CFR Part 11 §11.50, §11.200): the sponsor
 * re-enters their password and affirms the meaning of the signature, which the transparency-log
 * entry records with who and when. The meaning is built here, once, for the form that shows it and
 * the server that checks and records it: the server never takes a meaning it did not build, and a
 * program using the REST API must send back exactly the text it is signing.
 */

export type SignedAct =
  | { kind: "register"; title: string; orgName: string }
  | { kind: "amend"; title: string; orgName: string; registrationNumber: string; version: number }
  | { kind: "publish-release"; title: string; orgName: string; datasetNumber: string; release: number }
  | { kind: "decide-access"; decision: "approve" | "approve-with-conditions" | "return" | "deny"; requestNumber: string; title: string; orgName: string };

/** What each access decision says, in the signer's words. */
const DECISION_WORDS = {
  approve: "approve",
  "approve-with-conditions": "approve with conditions",
  return: "return for revision",
  deny: "deny",
} as const;

/** The meaning of the signature, as the signer sees it and the log records it. */
export function signatureMeaning(act: SignedAct): string {
  const title = act.title.trim() || "(untitled)";
  if (act.kind === "register") return `I submit this registration of “${title}” as sponsor on behalf of ${act.orgName}.`;
  if (act.kind === "decide-access") {
    // Only an approval publishes the request's title (the access register); the meaning of a return
    // or a denial is public in the log too, so it names the request by number alone.
    const named = act.decision === "approve" || act.decision === "approve-with-conditions" ? `, “${title}”,` : "";
    return `I ${DECISION_WORDS[act.decision]} access request ${act.requestNumber}${named} on behalf of ${act.orgName}'s data-access committee.`;
  }
  if (act.kind === "publish-release") {
    return `I publish release ${act.release} of ${act.datasetNumber}, “${title}”, as sponsor on behalf of ${act.orgName}; once published it never changes.`;
  }
  return `I submit this amendment of ${act.registrationNumber}, “${title}”, as version ${act.version}, as sponsor on behalf of ${act.orgName}.`;
}

/** The signature part of a registration or amendment request: the password re-entered and the meaning affirmed. */
export const signatureInput = z.strictObject(
  {
    // 256: the longest password an account may have (lib/auth/schema.ts).
    password: z.string({ error: "Enter your password to sign." }).min(1, "Enter your password to sign.").max(256, "That is not your password."),
    // 1,000: the meaning is a sentence with a title of at most 300 characters and an organisation's name.
    meaning: z.string({ error: "Give the meaning you sign (the sentence shown)." }).min(1, "Give the meaning you sign (the sentence shown).").max(1000),
  },
  { error: "Sign the submission: re-enter your password and affirm its meaning." },
);
export type SignatureInput = z.infer<typeof signatureInput>;

/** Signature methods the log knows (lib/log/kinds.ts `signature`). */
export const SIGNATURE_METHOD = "password-reauthentication" as const;
