import { AuthError } from "next-auth";
import { describe, expect, it } from "vitest";
import { appErrorInCauses, linkRequestError } from "@/lib/auth/link-errors";
import { AppError } from "@/lib/errors";

/** What @auth/core does with an error thrown in sendVerificationRequest: `cause: { err }` (errors.js). */
const wrapped = (error: Error) => new AuthError("EmailSignin", { cause: { err: error } });

describe("linkRequestError", () => {
  it("keeps the cause's code through Auth.js's wrapping: 429 for a limit, 503 for no mail transport", () => {
    const limited = new AppError("RATE_LIMITED");
    expect(linkRequestError(wrapped(limited))).toBe(limited);
    const unavailable = new AppError("UNAVAILABLE", "Mail sending is not configured on this portal.");
    expect(linkRequestError(wrapped(unavailable))).toMatchObject({ code: "UNAVAILABLE", status: 503 });
    expect(linkRequestError(unavailable)).toBe(unavailable);
  });

  it("answers anything else with a generic error, not 429", () => {
    expect(linkRequestError(new AuthError("Configuration"))).toMatchObject({ code: "INTERNAL", status: 500 });
    expect(linkRequestError(wrapped(new AppError("VALIDATION")))).toMatchObject({ code: "INTERNAL" });
    expect(linkRequestError(new Error("smtp down"))).toMatchObject({ code: "INTERNAL" });
  });

  it("stops on a cause cycle", () => {
    const a: { cause?: unknown } = {};
    a.cause = a;
    expect(appErrorInCauses(a)).toBeUndefined();
  });
});
