/**
 * What a failed request for a mailed link (magic link, sign-up confirmation) answers. Auth.js
 * wraps whatever sendVerificationRequest threw (an AuthError whose `cause.err` is the original),
 * so the AppError is looked for along the cause chain and its code kept: a used-up limit stays
 * 429 and a missing mail transport 503, and anything else is a generic 500, never a made-up 429
 * (issue 8: mapping every failure to 429 told a confirmed address, whose mail failed, from an
 * unknown one, which got no mail). Pure, so it is unit-tested directly.
 */
import { AppError } from "@/lib/errors";

/** The first AppError in `error`'s cause chain (`cause`, or Auth.js's `cause.err`), at most 8 deep. */
export function appErrorInCauses(error: unknown): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof AppError) return current;
    if (typeof current !== "object") return undefined;
    const cause: unknown = (current as { cause?: unknown }).cause;
    current = cause !== null && typeof cause === "object" && "err" in cause ? cause.err : cause;
  }
  return undefined;
}

/** The answer for a link that could not be sent: the cause's limit or unavailability, else a generic error. */
export function linkRequestError(error: unknown): AppError {
  const cause = appErrorInCauses(error);
  if (cause?.code === "RATE_LIMITED" || cause?.code === "UNAVAILABLE") return cause;
  return new AppError("INTERNAL", "The link could not be sent. Please try again.", { cause: error });
}
