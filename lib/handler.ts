import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { type Access, type SessionUser, decideAccess } from "@/lib/auth/roles";
import { currentSession } from "@/lib/auth/session";
import { AppError, type PublicError, toAppError, toPublicError } from "@/lib/errors";

/**
 * The one wrapper every server action and route handler goes through: validate the input (zod),
 * authenticate, check the role, run, and map errors to the closed set of AppError codes. Internals
 * are logged, never returned. Pages and the proxy may redirect, but the check that counts is here.
 *
 * Each wrapped function carries its declaration under HANDLER_META, with an entry point that takes
 * the session explicitly. The access test enumerates every action and route through it.
 */

export const HANDLER_META = Symbol.for("trialledger.handler");

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: PublicError };

export type HandlerMeta = {
  kind: "action" | "route";
  name: string;
  access: Access;
  /** Runs the handler with the given session instead of the request's; for the access test. */
  invokeAs(session: SessionUser | null, ...args: unknown[]): Promise<{ status: number }>;
  /**
   * Routes only: the whole response for an explicit session. Tests call handlers through this,
   * because the request's own session can only be read inside a Next.js request.
   */
  respondAs?: (session: SessionUser | null, request: Request, context?: RouteContext) => Promise<Response>;
};

type Context<I> = { input: I; session: SessionUser | null };
type SignedInContext<I> = { input: I; session: SessionUser };

type ActionOptions<S extends z.ZodType> = { name: string; access: Access; input: S };

function logUnexpected(name: string, error: AppError): void {
  if (error.status >= 500) console.error(`[${name}]`, error.cause ?? error);
}

/** FormData → plain object; repeated keys become arrays, empty strings become absent. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue; // React's own fields
    if (typeof value === "string" && value === "") continue;
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...(previous as unknown[]), value] : [previous, value];
  }
  return out;
}

async function authorizeAndParse<S extends z.ZodType>(
  opts: { access: Access; input: S },
  session: SessionUser | null,
  raw: unknown,
): Promise<z.infer<S>> {
  const decision = decideAccess(opts.access, session);
  if (!decision.ok) throw new AppError(decision.code);
  const parsed = await opts.input.safeParseAsync(raw);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

/**
 * Declares a server action. The result can be used directly with `useActionState`
 * (`(previousState, formData)`) or called with one argument (an object or FormData).
 */
export function action<S extends z.ZodType, T>(
  opts: ActionOptions<S> & { access: "public" },
  run: (ctx: Context<z.infer<S>>) => Promise<T>,
): (...args: unknown[]) => Promise<ActionResult<T>>;
export function action<S extends z.ZodType, T>(
  opts: ActionOptions<S>,
  run: (ctx: SignedInContext<z.infer<S>>) => Promise<T>,
): (...args: unknown[]) => Promise<ActionResult<T>>;
export function action<S extends z.ZodType, T>(
  opts: ActionOptions<S>,
  run: (ctx: SignedInContext<z.infer<S>>) => Promise<T>,
): (...args: unknown[]) => Promise<ActionResult<T>> {
  const execute = async (session: SessionUser | null, args: unknown[]): Promise<ActionResult<T>> => {
    try {
      const raw = args.length >= 2 ? args[1] : args[0];
      const input = await authorizeAndParse(opts, session, raw instanceof FormData ? formDataToObject(raw) : raw);
      // decideAccess let a null session through only for public actions, whose `run` is typed for it.
      return { ok: true, data: await run({ input, session: session as SessionUser }) };
    } catch (error) {
      unstable_rethrow(error); // redirect() and notFound() are control flow, not failures
      const appError = toAppError(error);
      logUnexpected(opts.name, appError);
      return { ok: false, error: toPublicError(appError) };
    }
  };
  const wrapped = async (...args: unknown[]) => execute(await currentSession(), args);
  const meta: HandlerMeta = {
    kind: "action",
    name: opts.name,
    access: opts.access,
    async invokeAs(session, ...args) {
      const result = await execute(session, args);
      return { status: result.ok ? 200 : result.error.status };
    },
  };
  return Object.assign(wrapped, { [HANDLER_META]: meta });
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type RouteRun<I, S> = (ctx: {
  input: I;
  session: S;
  request: Request;
  params: Record<string, string | string[]>;
}) => Promise<unknown>;

type RouteOptions<S extends z.ZodType> = {
  name: string;
  access: Access;
  /** Parsed from the query string for GET/HEAD/DELETE, from the JSON body otherwise. */
  input?: S;
};

export function jsonError(error: AppError): Response {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(error.retryAfter);
  return Response.json({ error: toPublicError(error) }, { status: error.status, headers });
}

/**
 * Reads JSON and form bodies from a clone, so a handler that forwards the request (Auth.js) can
 * still read it. Any other body (a file upload) is left alone for the handler to stream: cloning
 * it would tee the stream and buffer the whole file for the unread branch.
 */
async function readInput(request: Request): Promise<unknown> {
  if (["GET", "HEAD", "DELETE"].includes(request.method)) {
    return Object.fromEntries(new URL(request.url).searchParams);
  }
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      return await request.clone().json();
    } catch {
      throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
    }
  }
  if (type.includes("form")) return formDataToObject(await request.clone().formData());
  return {};
}

/**
 * Declares a route handler. `run` returns a Response, or a value sent as JSON with status 200.
 * Errors become `{ error: { code, status, message, fieldErrors? } }` with the code's status.
 */
export function route<S extends z.ZodType = z.ZodObject<Record<string, never>>>(
  opts: RouteOptions<S> & { access: "public" },
  run: RouteRun<z.infer<S>, SessionUser | null>,
): (request: Request, context: RouteContext) => Promise<Response>;
export function route<S extends z.ZodType = z.ZodObject<Record<string, never>>>(
  opts: RouteOptions<S>,
  run: RouteRun<z.infer<S>, SessionUser>,
): (request: Request, context: RouteContext) => Promise<Response>;
export function route<S extends z.ZodType>(
  opts: RouteOptions<S>,
  run: RouteRun<z.infer<S>, SessionUser>,
): (request: Request, context: RouteContext) => Promise<Response> {
  // Without a declared input the handler takes none: an empty object schema that strips extras.
  const schema = (opts.input ?? z.object({})) as S;
  const execute = async (session: SessionUser | null, request: Request, context?: RouteContext) => {
    try {
      const input: z.infer<S> = await authorizeAndParse({ access: opts.access, input: schema }, session, await readInput(request));
      const params = (await context?.params) ?? {};
      const result = await run({ input, session: session as SessionUser, request, params });
      return result instanceof Response ? result : Response.json(result, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      unstable_rethrow(error);
      const appError = toAppError(error);
      logUnexpected(opts.name, appError);
      return jsonError(appError);
    }
  };
  const wrapped = async (request: Request, context: RouteContext) => execute(await currentSession(), request, context);
  const meta: HandlerMeta = {
    kind: "route",
    name: opts.name,
    access: opts.access,
    async invokeAs(session, ...args) {
      const request = args[0] instanceof Request ? args[0] : new Request("http://localhost/");
      const response = await execute(session, request, args[1] as RouteContext | undefined);
      return { status: response.status };
    },
    respondAs: execute,
  };
  return Object.assign(wrapped, { [HANDLER_META]: meta });
}

/** The declaration of a wrapped action or route, or undefined for anything else. */
export function handlerMeta(value: unknown): HandlerMeta | undefined {
  if (typeof value !== "function") return undefined;
  return (value as unknown as { [HANDLER_META]?: HandlerMeta })[HANDLER_META];
}
