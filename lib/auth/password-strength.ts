import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/**
 * Refuses the passwords an online or offline guesser tries first, with zxcvbn (Dropbox's
 * estimator, maintained as zxcvbn-ts): its common dictionary holds the most frequent leaked
 * passwords, names and keyboard patterns, and the person's own email and name are added as words
 * to avoid. Score 3 means an estimated ≥ 10⁸ guesses, zxcvbn's "safely unguessable" level against
 * an online attack and a slow hash offline (argon2id here); "password1234" scores 1, "correct horse
 * battery" 4. A password equal to the email, or to its local part, is refused outright.
 * Pure; the dictionary is loaded once, on first use (about 1 MB: server only).
 */
export const MIN_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return factory;
}

/** A message saying why `password` is too easy to guess, or undefined when it is fine. */
export function weakPasswordReason(password: string, context: { email?: string | undefined; name?: string | undefined }): string | undefined {
  const email = context.email?.trim().toLowerCase();
  const candidate = password.trim().toLowerCase();
  if (email && (candidate === email || candidate === email.split("@")[0])) {
    return "Do not use your email address as your password.";
  }
  const inputs = [email, email?.split("@")[0], context.name].filter((s): s is string => Boolean(s));
  const result = estimator().check(password, inputs);
  if (result.score >= MIN_SCORE) return undefined;
  return "This password is too easy to guess (it is common or close to your name or email). A few unrelated words make a strong one.";
}
