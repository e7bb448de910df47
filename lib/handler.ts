import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { type Access, type SessionUser, decideAccess } from "@/lib/auth/roles";
import { currentSession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError, type PublicError, fieldErrorsOf, toAppError, toPublicError } from "@/lib/errors";

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
  /** The input schema, for tests that generate inputs per field. */
  input: z.ZodType;
  /** Routes only: the body the route takes and its limit. */
  body?: RouteBody;
  /** Routes only: the query-string schema of a route that also takes a body, if it declares one. */
  query?: z.ZodType;
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
    input: opts.input,
    async invokeAs(session, ...args) {
      const result = await execute(session, args);
      return { status: result.ok ? 200 : result.error.status };
    },
  };
  return Object.assign(wrapped, { [HANDLER_META]: meta });
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type RawParams = Record<string, string | string[]>;
type RouteRun<I, S, P, Q> = (ctx: { input: I; session: S; request: Request; params: P; query: Q }) => Promise<unknown>;

/**
 * What a route takes as its body (methods other than GET, HEAD and DELETE). The content type must
 * be exactly the one named (parameters aside, and a charset only utf-8): `text/plain` holding JSON
 * is refused with 415, because a cross-site page can send text/plain, a form or multipart with no
 * CORS preflight, but not application/json or application/octet-stream.
 *
 * - json (the default): read up to `maxBytes` while it arrives (413 past it), then parsed.
 * - form: application/x-www-form-urlencoded, read the same way (Auth.js's own posts).
 * - multipart: multipart/form-data, read the same way; a body that does not parse (a wrong
 *   boundary, a truncated part) is 400. No route takes one today: uploads stream octet-stream.
 * - stream: the handler reads `request.body` itself and enforces `maxBytes` while it streams;
 *   the wrapper only refuses a declared Content-Length past it early.
 */
export type RouteBody =
  | { kind: "json"; maxBytes: number }
  | { kind: "form"; maxBytes: number }
  | { kind: "multipart"; maxBytes: number }
  | { kind: "stream"; contentType: string; maxBytes: number };

/**
 * 16 KiB: the largest body a route takes, other than a trial record and a file, is a Semaphore
 * proof of about 1.3 KB (ten 78-digit decimals and their keys); the rest are a code or an email.
 * A route that needs more declares its own limit with its reason.
 */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

/**
 * 32 levels: the deepest body a route takes (a trial record) nests four. Validation and
 * canonicalisation walk a body recursively, so depth is bounded before either sees it.
 */
export const MAX_JSON_DEPTH = 32;

type RouteOptions<S extends z.ZodType, P extends z.ZodType, Q extends z.ZodType> = {
  name: string;
  access: Access;
  /** Parsed from the query string for GET/HEAD/DELETE, from the body otherwise. */
  input?: S;
  /** The path's params (`[number]`, `[digest]`); a value that does not parse is a 404 naming the param. */
  params?: P;
  /** The body's kind and limit; JSON up to DEFAULT_BODY_LIMIT unless declared. */
  body?: RouteBody;
  /**
   * For a route that takes a body: its query string's schema (an upload's body is the file, so it
   * names its organisation there). 422 naming the field, like the body; absent, the query is ignored.
   */
  query?: Q;
};

export function jsonError(error: AppError): Response {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(error.retryAfter);
  return Response.json({ error: toPublicError(error) }, { status: error.status, headers });
}

const BODYLESS = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);
/** Methods that change nothing (RFC 9110 "safe"); every other one is checked for its origin. */
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

const MEDIA_TYPE: Record<RouteBody["kind"], string | undefined> = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
  multipart: "multipart/form-data",
  stream: undefined,
};

/**
 * Cross-site request forgery: a request that carries the session cookie and changes something
 * must come from the portal's own pages. Browsers send `Origin` on every cross-origin request and
 * on same-origin POSTs, and `Sec-Fetch-Site` on all of them; a request with neither is refused,
 * since the cookie came from a browser. Own origins: the request's and AUTH_URL's (the address the
 * portal is reached at behind a proxy).
 */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (request.headers.get("sec-fetch-site") === "same-origin") return;
    throw new AppError("FORBIDDEN", "This request must come from the portal's own pages (no Origin header).");
  }
  const own = new Set([new URL(request.url).origin, new URL(env().authUrl).origin]);
  if (!own.has(origin)) throw new AppError("FORBIDDEN", "This request must come from the portal's own pages (another site sent it).");
}

/** The declared media type and charset, lower-cased: "application/json" for "Application/JSON; charset=UTF-8". */
function mediaTypeOf(request: Request): { type: string; charset: string | undefined } {
  const [type = "", ...parameters] = (request.headers.get("content-type") ?? "").split(";");
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/^"|"$/g, "");
  return { type: type.trim().toLowerCase(), charset };
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes.toLocaleString("en-US")} bytes.`);
}

/** Refuses a body whose content type is not the route's, or whose declared length is past its limit. */
function assertBodyAccepted(request: Request, body: RouteBody): void {
  const expected = body.kind === "stream" ? body.contentType : MEDIA_TYPE[body.kind];
  const { type, charset } = mediaTypeOf(request);
  if (type !== expected || (charset !== undefined && charset !== "utf-8")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Send the body as ${expected}${body.kind === "stream" ? "" : " (UTF-8)"}.`);
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > body.maxBytes) throw tooLarge(body.maxBytes);
}

/**
 * Reads the body from a clone, so a handler that forwards the request (Auth.js) can still read
 * it, counting bytes as they arrive: a body that passes `maxBytes` is cut there with 413, whatever
 * its Content-Length said (a chunked body has none), so memory stays bounded by the limit.
 */
async function readBounded(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const stream = request.clone().body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) {
        // Not awaited: cancelling one branch of a tee settles only once the other branch (the
        // request the handler was given, never read now) is cancelled too. With this branch gone
        // and nobody reading the other, nothing pulls more of the body.
        void reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(next.value);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("BAD_REQUEST", "The request body could not be read.", { cause: error });
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Nesting depth of JSON text: brackets outside strings. Linear, no recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid UTF-8.");
  }
}

async function parseMultipart(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData> {
  try {
    return await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError("BAD_REQUEST", "The multipart body could not be read (wrong boundary or a truncated part).");
  }
}

/** The route's input: the query string for bodyless methods, else the body read within its limit. */
async function readInput(request: Request, body: RouteBody): Promise<unknown> {
  if (BODYLESS.has(request.method)) return Object.fromEntries(new URL(request.url).searchParams);
  assertBodyAccepted(request, body);
  if (body.kind === "stream") return {};
  const bytes = await readBounded(request, body.maxBytes);
  if (body.kind === "multipart") return formDataToObject(await parseMultipart(bytes, request.headers.get("content-type") ?? ""));
  const text = decodeUtf8(bytes);
  if (body.kind === "form") return Object.fromEntries(new URLSearchParams(text));
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new AppError("BAD_REQUEST", `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}

/** Params without a declared schema: passed through as Next gives them. */
const anyParams = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
type AnyParams = typeof anyParams;

async function parseParams<P extends z.ZodType>(schema: P, context: RouteContext | undefined): Promise<z.infer<P>> {
  const raw: RawParams = (await context?.params) ?? {};
  const parsed = await schema.safeParseAsync(raw);
  // A path that names nothing is not found; the params at fault are named, like body fields.
  if (!parsed.success) throw new AppError("NOT_FOUND", "Nothing has that address.", { fieldErrors: fieldErrorsOf(parsed.error) });
  return parsed.data;
}

/**
 * Declares a route handler. `run` returns a Response, or a value sent as JSON with status 200.
 * Errors become `{ error: { code, status, message, fieldErrors? } }` with the code's status.
 *
 * Order of checks: same origin (signed-in requests to non-public routes that change something), access (401/403,
 * before any body is read), params (404), content type (415), body within its limit (413),
 * well-formed (400), query and input schemas (422).
 */
type NoQuery = z.ZodObject<Record<string, never>>;

export function route<S extends z.ZodType = z.ZodObject<Record<string, never>>, P extends z.ZodType = AnyParams, Q extends z.ZodType = NoQuery>(
  opts: RouteOptions<S, P, Q> & { access: "public" },
  run: RouteRun<z.infer<S>, SessionUser | null, z.infer<P>, z.infer<Q>>,
): (request: Request, context: RouteContext) => Promise<Response>;
export function route<S extends z.ZodType = z.ZodObject<Record<string, never>>, P extends z.ZodType = AnyParams, Q extends z.ZodType = NoQuery>(
  opts: RouteOptions<S, P, Q>,
  run: RouteRun<z.infer<S>, SessionUser, z.infer<P>, z.infer<Q>>,
): (request: Request, context: RouteContext) => Promise<Response>;
export function route<S extends z.ZodType, P extends z.ZodType, Q extends z.ZodType>(
  opts: RouteOptions<S, P, Q>,
  run: RouteRun<z.infer<S>, SessionUser, z.infer<P>, z.infer<Q>>,
): (request: Request, context: RouteContext) => Promise<Response> {
  // Without a declared input the handler takes none: an empty object schema that strips extras.
  const schema = (opts.input ?? z.object({})) as S;
  const paramsSchema = (opts.params ?? anyParams) as P;
  const querySchema = (opts.query ?? z.object({})) as Q;
  const body: RouteBody = opts.body ?? { kind: "json", maxBytes: DEFAULT_BODY_LIMIT };
  const execute = async (session: SessionUser | null, request: Request, context?: RouteContext) => {
    try {
      // Every session comes from the cookie, which a browser attaches to cross-site requests too.
      // Public routes act on no one's authority (anyone may send the same request without a
      // cookie), so only routes that need a session check where it came from; Auth.js's own
      // endpoints, public, check their own CSRF token.
      if (session && opts.access !== "public" && !SAFE.has(request.method)) assertSameOrigin(request);
      const decision = decideAccess(opts.access, session);
      if (!decision.ok) throw new AppError(decision.code);
      const params = await parseParams(paramsSchema, context);
      const raw = await readInput(request, body);
      const query = await querySchema.safeParseAsync(Object.fromEntries(new URL(request.url).searchParams));
      if (!query.success) throw query.error;
      const parsed = await schema.safeParseAsync(raw);
      if (!parsed.success) throw parsed.error;
      const result = await run({ input: parsed.data, session: session as SessionUser, request, params, query: query.data });
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
    input: schema,
    body,
    ...(opts.query ? { query: opts.query } : {}),
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
