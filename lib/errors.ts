import { z } from "zod";

/**
 * The closed set of error codes a client can see, with the HTTP status each maps to.
 * Clients get the code and a message written for people; internals go to the server log only.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  BAD_REQUEST: "The request could not be understood.",
  UNAUTHENTICATED: "Please sign in to continue.",
  FORBIDDEN: "You do not have permission to do that.",
  NOT_FOUND: "Not found.",
  CONFLICT: "That already exists.",
  GONE: "That link has expired or was already used.",
  PAYLOAD_TOO_LARGE: "The request is too large.",
  UNSUPPORTED_MEDIA_TYPE: "The request body is not of a type this address takes.",
  VALIDATION: "Some fields need attention.",
  RATE_LIMITED: "Too many attempts. Please wait and try again.",
  INTERNAL: "Something went wrong on our side. Please try again.",
  UNAVAILABLE: "A service the portal depends on is unavailable. Please try again shortly.",
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  /** Seconds after which a RATE_LIMITED request may be retried. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    opts: { fieldErrors?: FieldErrors; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message ?? DEFAULT_MESSAGE[code], { cause: opts.cause });
    this.code = code;
    this.fieldErrors = opts.fieldErrors;
    this.retryAfter = opts.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** What a client is shown for an error: never a stack, a SQL message or a raw row. */
export type PublicError = {
  code: ErrorCode;
  status: number;
  message: string;
  fieldErrors?: FieldErrors;
  retryAfter?: number;
};

function prismaCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined;
}

/**
 * Maps any thrown value to an AppError: AppError as is, zod → 422 with field errors,
 * Prisma P2002 (unique) → 409, P2025 (record not found) → 404, anything else → 500.
 * Branches on Prisma's `code` only: PGlite and PostgreSQL fill `meta` differently.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    return new AppError("VALIDATION", undefined, { fieldErrors: fieldErrorsOf(error), cause: error });
  }
  switch (prismaCode(error)) {
    case "P2002":
      return new AppError("CONFLICT", undefined, { cause: error });
    case "P2025":
      return new AppError("NOT_FOUND", undefined, { cause: error });
    default:
      return new AppError("INTERNAL", undefined, { cause: error });
  }
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function toPublicError(error: AppError): PublicError {
  return {
    code: error.code,
    status: error.status,
    message: error.message,
    ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
  };
}
