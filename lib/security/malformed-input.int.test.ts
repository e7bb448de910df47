// Every route handler and server action, from the handler registry (scripts/test/handlers.ts, so a
// new one is walked without being listed), against one shared corpus of malformed input: wrong
// content types, broken multipart, invalid and deeply nested JSON, 1 MB and 10 MB bodies, NUL,
// lone surrogates, form feeds, huge numbers and bad params. Nothing may answer 5xx, hang, or write
// a row. Besides the generic corpus, valid inputs (a real trial record, a sign-up, an organisation,
// consent items) are poisoned one string leaf at a time, so that validation is all that stands
// between the poison and the database — the 500s of the report (PostgreSQL 22021/22P05, RFC 8785)
// came from there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { registerSigned } from "@/scripts/test/signing";
import { snapshotTables } from "@/scripts/test/database";
import { type DeclaredAction, type DeclaredRoute, declaredHandlers } from "@/scripts/test/handlers";
import { uniqueEmail } from "@/scripts/test/support";

const ORIGIN = "http://localhost";
const MB = 1_000_000;
/** A handler that takes longer than this on one malformed request counts as hanging. */
const HANG_MS = 10_000;

function describeLabel(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 120) ?? String(value);
  } catch {
    return "(too deep to print)";
  }
}

// Characters built from code points, so that this file holds none of them itself.
const NUL = String.fromCharCode(0);
const FORM_FEED = String.fromCharCode(12);
const LONE_SURROGATE = String.fromCharCode(0xd800);

/** String poisons, each inserted into an otherwise valid value: the three of the report. */
const STRING_POISONS = [NUL, LONE_SURROGATE, FORM_FEED];
/**
 * Strings no field takes: control characters, a lone surrogate, a NUL after a registration
 * number, a line break in what must be one line (a callback URL), 5,000 characters where no
 * top-level field takes that many. Sent as JSON and as form fields.
 */
const TEXT_POISONS = [`a${NUL}b`, LONE_SURROGATE, `a${FORM_FEED}b`, "a\u001bb", "a\u0085b", `TLR-2026-00001${NUL}`, "/\n/evil.example/", "x".repeat(5_000)];
/** Values of the wrong type for any field, huge and odd numbers, a prototype-polluting object; JSON only. */
const VALUE_POISONS: unknown[] = [
  ...TEXT_POISONS,
  null,
  true,
  [],
  {},
  1e308,
  -1e308,
  2 ** 53 + 1,
  -1,
  0.5,
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
];
/** Path params: a NUL, a lone surrogate raw and percent-encoded, traversal, overlong, odd numbers. */
const PARAM_POISONS = [NUL, `TLR-2026-00001${NUL}`, LONE_SURROGATE, "%ED%A0%80", "%", "../../etc/passwd", "x".repeat(10_000), "1e400", "-1", "0", `0x${"g".repeat(64)}`, ""];

/** A body that streams `size` bytes of a JSON string without declaring its length. */
function streamedJson(size: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"title":"'));
    },
    pull(controller) {
      if (sent >= size) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

type BodyCase = { label: string; headers: Record<string, string>; body: () => BodyInit | null };

const json = { "content-type": "application/json" };
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** Bodies for routes that take one: the first half of the corpus. */
function bodyCases(keys: string[]): BodyCase[] {
  const sample = JSON.stringify(Object.fromEntries(keys.map((k) => [k, "value"])));
  const cases: BodyCase[] = [
    { label: "text/plain holding JSON (the CSRF request of the report)", headers: { "content-type": "text/plain; application/json" }, body: () => sample },
    { label: "text/plain", headers: { "content-type": "text/plain" }, body: () => sample },
    { label: "no content type", headers: {}, body: () => sample },
    { label: "a form", headers: { "content-type": "application/x-www-form-urlencoded" }, body: () => "a=b&c=%00" },
    {
      label: "multipart with a wrong boundary",
      headers: { "content-type": "multipart/form-data; boundary=expected" },
      body: () => '--other\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--other--\r\n',
    },
    { label: "multipart without a boundary", headers: { "content-type": "multipart/form-data" }, body: () => "--x\r\n\r\n" },
    { label: "JSON declared latin1", headers: { "content-type": "application/json; charset=latin1" }, body: () => sample },
    { label: "truncated JSON", headers: json, body: () => '{"a":' },
    { label: "empty JSON body", headers: json, body: () => "" },
    { label: "JSON with invalid UTF-8", headers: json, body: () => new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
    { label: "JSON with an escaped lone surrogate", headers: json, body: () => sample.replaceAll("value", "\\ud800") },
    { label: "JSON with an escaped NUL", headers: json, body: () => sample.replaceAll("value", "a\\u0000b") },
    { label: "JSON 10,000 levels deep", headers: json, body: () => nested(10_000) },
    { label: "JSON 100,000 arrays deep", headers: json, body: () => `${"[".repeat(100_000)}${"]".repeat(100_000)}` },
    { label: "JSON with a huge number", headers: json, body: () => `{"a":1${"0".repeat(400)}}` },
    { label: "a JSON array", headers: json, body: () => "[1,2,3]" },
    { label: "JSON null", headers: json, body: () => "null" },
    { label: "a 1 MB body", headers: json, body: () => JSON.stringify({ title: "x".repeat(MB) }) },
    { label: "a 10 MB body, streamed without a length", headers: json, body: () => streamedJson(10 * MB) },
    { label: "a 10 MB length declared", headers: { ...json, "content-length": String(10 * MB) }, body: () => "{}" },
  ];
  return cases;
}

type Poisoned = { label: string; input: unknown };

/** Objects whose each key is set to each poison, one at a time. */
function poisonedFields(keys: string[], poisons: readonly unknown[] = VALUE_POISONS): Poisoned[] {
  return keys.flatMap((key) => poisons.map((value) => ({ label: `${key}=${describeLabel(value)}`, input: { [key]: value } })));
}

/**
 * `valid` with each string leaf spoiled by each string poison, and each number leaf by huge and odd
 * numbers. Passwords are left alone: they are only hashed, never stored, shown or exported, and
 * NIST SP 800-63B lets them hold any character.
 */
function poisonedLeaves(valid: unknown): Poisoned[] {
  const out: Poisoned[] = [];
  const visit = (value: unknown, path: string, replace: (v: unknown) => unknown) => {
    if (/password/i.test(path)) return;
    if (typeof value === "string") {
      // Inside the value, never at an end: trimming would rightly drop a trailing form feed.
      const at = Math.max(1, Math.floor(value.length / 2));
      const spoil = (poison: string) => (value.length < 2 ? `a${poison}${value}` : `${value.slice(0, at)}${poison}${value.slice(at)}`);
      for (const poison of STRING_POISONS) out.push({ label: `${path} with ${describeLabel(poison)}`, input: replace(spoil(poison)) });
    } else if (typeof value === "number") {
      for (const poison of [1e308, -1, 2 ** 53 + 1, 0.5]) out.push({ label: `${path}=${poison}`, input: replace(poison) });
    } else if (Array.isArray(value)) {
      const items: unknown[] = value;
      items.forEach((item, i) => visit(item, `${path}.${i}`, (v) => replace(items.map((x, j) => (j === i ? v : x)))));
    } else if (value && typeof value === "object") {
      for (const [field, item] of Object.entries(value)) visit(item, path ? `${path}.${field}` : field, (v) => replace({ ...value, [field]: v }));
    }
  };
  visit(valid, "", (v) => v);
  return out;
}

function keysOf(meta: { input: unknown }): string[] {
  const shape = (meta.input as { shape?: Record<string, unknown> }).shape;
  if (!shape) return ["title", "name", "email", "record", "proof", "code"];
  // A handler that declares no fields drops whatever it is sent: one stray field shows that.
  return Object.keys(shape).length > 0 ? Object.keys(shape) : ["title"];
}

async function withinTime<T>(label: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let sponsor: SessionUser;
let researcher: SessionUser;
let orgId: string;
let registrationNumber: string;
let before: Record<string, string>;
const failures: string[] = [];

/** Valid inputs to poison, by handler name; a handler not named here still gets the generic corpus. */
function validInputs(): Record<string, unknown> {
  const record = structuredClone(exampleTrialRecord);
  const signature = { password: "long enough password", meaning: "I submit this registration." };
  return {
    // The signature's meaning is poisoned like any string; its password is left alone (above).
    "trials.register": { orgId, record, signature },
    "trials.amend": { basedOnVersion: 1, record, signature },
    "registry.register": { orgId, record, attachments: [], signature },
    "registry.amend": { registrationNumber, basedOnVersion: 1, record, signature },
    "orgs.create": { name: "Poisoned Sponsor Ltd" },
    "orgs.invite": { orgId, email: "invitee@example.org", role: "MEMBER" },
    "auth.signUp": { name: "Poisoned Person", email: "poison@example.org", password: "a long enough password", accountType: "RESEARCHER", institution: "Poison Institute" },
    "auth.signIn": { email: "poison@example.org", password: "whatever it is", callbackUrl: "/dashboard" },
    "auth.requestMagicLink": { email: "poison@example.org", callbackUrl: "/dashboard" },
    "consent.items.save": { registrationNumber, items: [{ text: "I agree to take part in this trial." }], basedOnVersion: 0 },
    "consent.codes.generate": { registrationNumber, count: 1 },
    "consent.handover.issue": { registrationNumber },
    "consent.enrolment.check": { code: "ABCD-EFGH-JKMN-PQRS-TVWX" },
    "consent.enrolment.redeem": { code: "ABCD-EFGH-JKMN-PQRS-TVWX", commitment: "12345" },
    "access.create": { releases: ["TLR-2026-00001.D1/1"] },
    "access.save": { number: REQUEST, form: JSON.stringify({ title: "A poisoned request title", months: 12 }) },
    "access.invite": { number: REQUEST, email: "colleague@example.org" },
    "access.message": { number: REQUEST, text: "A message to poison." },
    "access.vote": { number: REQUEST, vote: "approve", rationale: "A rationale long enough." },
    "access.decide": { number: REQUEST, decision: "deny", reason: "A reason long enough.", signature },
    "access.revoke": { grantId: `g_${"0".repeat(24)}`, reason: "A reason long enough." },
    "access.committee-rule": { orgSlug: "malformed-input-sponsor", rule: "MAJORITY", targetDays: 14 },
  };
}

/** An access request number (none exists: the handlers answer 404 after validating). */
const REQUEST = "DAR-2026-00001";

/**
 * The session a handler is called with: one whose roles it allows, so that its input is parsed
 * and used (a sponsor's session would stop a researcher's handler at the role check, before any
 * input is read). Committee handlers get the sponsor with a committee role: it holds no seat, so
 * they refuse after validation, as for any request of another organisation.
 */
function sessionFor(access: DeclaredRoute["meta"]["access"]): SessionUser | null {
  if (access === "public") return null;
  if (access === "signed-in" || access.includes("sponsor")) return sponsor;
  if (access.includes("researcher")) return researcher;
  return { ...sponsor, roles: [...sponsor.roles, ...access] };
}

/** Valid params for a route, so that one param at a time can be spoiled. */
function validParams(route: DeclaredRoute): Record<string, string | string[]> {
  const access = /^\/api\/(access|committee|uploads\/access)\//.test(route.path);
  const exports = route.path.startsWith("/api/exports/");
  const values: Record<string, string | string[]> = {
    number: exports ? `${REQUEST}.X1` : access ? REQUEST : registrationNumber,
    fileId: "c00000000000000000000000f",
    token: `c00000000000000000000000f.c00000000000000000000000a.${Date.now() + 60_000}.${"A".repeat(43)}`,
    kind: "sap",
    version: "1",
    digest: `0x${"a".repeat(64)}`,
    id: "c00000000000000000000000a",
    nextauth: ["signin", "email"],
  };
  return Object.fromEntries(route.params.map((p) => [p.name, values[p.name] ?? "x"]));
}

function urlOf(route: DeclaredRoute, params: Record<string, string | string[]>, query = ""): string {
  let path = route.path;
  for (const p of route.params) {
    const value = params[p.name];
    const text = Array.isArray(value) ? value.map(encodeURIComponent).join("/") : encodeURIComponent(value ?? "");
    path = path.replace(p.catchAll ? `[...${p.name}]` : `[${p.name}]`, text);
  }
  return `${ORIGIN}${path}${query}`;
}

async function callRoute(route: DeclaredRoute, label: string, request: Request, params: Record<string, string | string[]>): Promise<void> {
  const respond = route.meta.respondAs;
  if (!respond) throw new Error(`${route.meta.name} has no respondAs`);
  const session = sessionFor(route.meta.access);
  const what = `${route.method} ${route.path} (${route.meta.name}) ${label}`;
  try {
    const response = await withinTime(what, respond(session, request, { params: Promise.resolve(params) }));
    await response.body?.cancel();
    if (response.status >= 500) failures.push(`${what}: ${response.status}`);
  } catch (error) {
    failures.push(`${what}: threw ${String(error)}`);
  }
}

async function callAction(action: DeclaredAction, label: string, input: unknown): Promise<void> {
  const what = `action ${action.meta.name} ${label}`;
  const session = sessionFor(action.meta.access);
  try {
    const result = await withinTime(what, action.meta.invokeAs(session, input));
    if (result.status >= 500) failures.push(`${what}: ${result.status}`);
  } catch (error) {
    // A redirect (thrown as control flow) means the input passed validation and the action ran.
    failures.push(`${what}: threw ${String(error).slice(0, 200)}`);
  }
}


describe("malformed input to every route handler and server action", async () => {
  const { routes, actions } = await declaredHandlers();

  beforeAll(async () => {
    const user = await signUp({ name: "Malformed Sponsor", email: uniqueEmail("malformed"), password: "long enough password", accountType: "SPONSOR" });
    const session = await getSessionUser(user.id);
    if (!session) throw new Error("user vanished");
    sponsor = session;
    const scholar = await signUp({ name: "Malformed Researcher", email: uniqueEmail("malformed-r"), password: "long enough password", accountType: "RESEARCHER" });
    researcher = (await getSessionUser(scholar.id)) ?? session;
    orgId = (await createOrganization({ name: "Malformed Input Sponsor", creator: sponsor })).id;
    registrationNumber = (await registerSigned({ orgId, user: sponsor, input: structuredClone(exampleTrialRecord) })).registrationNumber;
    before = await snapshotTables();
  });

  afterAll(() => {
    if (failures.length) console.error(failures.join("\n"));
  });

  it("walks the registry", () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(actions.length).toBeGreaterThanOrEqual(14);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s: no 5xx and no hang on the corpus", async (_label, route) => {
    const start = failures.length;
    const params = validParams(route);
    const bodyless = ["GET", "HEAD", "DELETE"].includes(route.method);
    const keys = keysOf(route.meta);
    const headers = { origin: ORIGIN };

    for (const p of route.params) {
      for (const poison of PARAM_POISONS) {
        const spoiled = { ...params, [p.name]: p.catchAll ? [poison] : poison };
        const init: RequestInit = bodyless ? { method: route.method } : { method: route.method, headers: { ...headers, ...json }, body: "{}" };
        await callRoute(route, `param ${p.name}=${describeLabel(poison)}`, new Request(urlOf(route, params), init), spoiled);
      }
    }

    if (bodyless) {
      for (const { label, input } of poisonedFields(keys, TEXT_POISONS)) {
        const query = new URLSearchParams(input as Record<string, string>);
        await callRoute(route, `query ${label}`, new Request(urlOf(route, params, `?${query}`), { method: route.method }), params);
      }
    } else {
      // A route that takes a body and a query string (an upload names its organisation there).
      const queryKeys = route.meta.query ? keysOf({ input: route.meta.query }) : [];
      const bodyType = route.meta.body?.kind === "stream" ? route.meta.body.contentType : "application/json";
      for (const { label, input } of poisonedFields(queryKeys, TEXT_POISONS)) {
        const query = new URLSearchParams(input as Record<string, string>);
        const init: RequestInit = { method: route.method, headers: { ...headers, "content-type": bodyType }, body: "{}" };
        await callRoute(route, `query ${label}`, new Request(urlOf(route, params, `?${query}`), init), params);
      }
      for (const c of bodyCases(keys)) {
        const init = { method: route.method, headers: { ...headers, ...c.headers }, body: c.body(), duplex: "half" } as RequestInit;
        await callRoute(route, c.label, new Request(urlOf(route, params), init), params);
      }
      const valid = validInputs()[route.meta.name];
      for (const { label, input } of [...poisonedFields(keys), ...(valid === undefined ? [] : poisonedLeaves(valid))]) {
        const init: RequestInit = { method: route.method, headers: { ...headers, ...json }, body: JSON.stringify(input) };
        await callRoute(route, `body ${label}`, new Request(urlOf(route, params), init), params);
      }
    }
    expect(failures.slice(start)).toEqual([]);
  });

  it.each(actions.map((a) => [a.meta.name, a] as const))("action %s: no 5xx and no hang on the corpus", async (_label, action) => {
    const start = failures.length;
    const keys = keysOf(action.meta);
    const forms = poisonedFields(keys, TEXT_POISONS).map(({ label, input }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(input as Record<string, string>)) form.append(k, v);
      return { label: `form ${label}`, input: form };
    });
    const valid = validInputs()[action.meta.name];
    const inputs: Poisoned[] = [
      ...[undefined, null, "a string", 42, []].map((input) => ({ label: describeLabel(input), input })),
      { label: "an object 10,000 levels deep", input: JSON.parse(nested(10_000)) as unknown },
      ...poisonedFields(keys),
      ...forms,
      ...(valid === undefined ? [] : poisonedLeaves(valid)),
    ];
    for (const { label, input } of inputs) await callAction(action, label, input);
    expect(failures.slice(start)).toEqual([]);
  });

  const bodyRoutes = routes.filter((r) => r.meta.body && r.meta.body.kind !== "stream" && !["GET", "HEAD", "DELETE"].includes(r.method));

  it.each(bodyRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s cuts a body past its limit with 413 while reading it", async (_label, route) => {
    const limit = route.meta.body?.maxBytes ?? 0;
    const type = route.meta.body?.kind === "form" ? "application/x-www-form-urlencoded" : "application/json";
    let streamed = 0;
    const source = streamedJson(limit + 10 * MB);
    const reader = source.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await reader.read();
        if (next.done) return controller.close();
        streamed += next.value.byteLength;
        controller.enqueue(next.value);
      },
    });
    const request = new Request(urlOf(route, validParams(route)), { method: route.method, headers: { origin: ORIGIN, "content-type": type }, body: counted, duplex: "half" } as RequestInit);
    const respond = route.meta.respondAs;
    const response = await withinTime(route.meta.name, respond ? respond(sessionFor(route.meta.access), request, { params: Promise.resolve(validParams(route)) }) : Promise.reject(new Error("no respondAs")));
    expect(response.status).toBe(413);
    // No more than the limit and a few chunks of 64 KiB were pulled out of the 10 MB past it.
    expect(streamed).toBeLessThan(limit + 512 * 1024);
  });

  it("wrote nothing", async () => {
    expect(await snapshotTables()).toEqual(before);
  });
});
