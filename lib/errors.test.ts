import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, toAppError, toPublicError } from "@/lib/errors";

describe("toAppError", () => {
  it("maps zod errors to 422 with field errors", () => {
    const parsed = z.object({ email: z.email() }).safeParse({ email: "nope" });
    if (parsed.success) throw new Error("expected a failure");
    const error = toAppError(parsed.error);
    expect(error.status).toBe(422);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["email"]);
  });

  it("maps Prisma unique and not-found codes by code only", () => {
    expect(toAppError({ code: "P2002", meta: { whatever: 1 } }).status).toBe(409);
    expect(toAppError({ code: "P2025" }).status).toBe(404);
  });

  it("hides everything else behind a generic 500", () => {
    const error = toAppError(new Error('relation "User" does not exist at 10.0.0.3'));
    expect(error.code).toBe("INTERNAL");
    expect(toPublicError(error).message).not.toMatch(/relation|10\.0\.0\.3/);
  });

  it("passes AppError through with its retry time", () => {
    const original = new AppError("RATE_LIMITED", "Wait.", { retryAfter: 60 });
    expect(toPublicError(toAppError(original))).toEqual({ code: "RATE_LIMITED", status: 429, message: "Wait.", retryAfter: 60 });
  });
});
