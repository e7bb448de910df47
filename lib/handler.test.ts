import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_BODY_LIMIT, MAX_JSON_DEPTH, type RouteBody, formDataToObject, handlerMeta, jsonDepth, route } from "@/lib/handler";
import { registrationNumber, registrationNumberSegment } from "@/lib/schema/values";
import { sessionWith } from "@/scripts/test/support";

describe("formDataToObject", () => {
  it("drops React's fields and empty values, collects repeated keys", () => {
    const form = new FormData();
    form.append("$ACTION_ID_abc", "");
    form.append("email", "a@example.org");
    form.append("empty", "");
    form.append("tag", "x");
    form.append("tag", "y");
    expect(formDataToObject(form)).toEqual({ email: "a@example.org", tag: ["x", "y"] });
  });
});

const SPONSOR = sessionWith(["sponsor"]);
const context = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

/** A route that echoes its input and params, public or for sponsors. */
function echo(access: "public" | ["sponsor"], opts: { body?: RouteBody; params?: z.ZodType } = {}) {
  const handler = route({ name: "test.echo", access, input: z.object({ title: z.string().optional() }), ...opts }, async ({ input, params }) => ({ input, params }));
  const respond = handlerMeta(handler)?.respondAs;
  if (!respond) throw new Error("not wrapped");
  return respond;
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/test", { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

const json = { "content-type": "application/json" };

describe("route bodies", () => {
  it("takes exactly application/json, with a UTF-8 charset at most", async () => {
    const respond = echo("public");
    expect((await respond(null, post('{"title":"a"}', json), context())).status).toBe(200);
    expect((await respond(null, post('{"title":"a"}', { "content-type": "Application/JSON; charset=UTF-8" }), context())).status).toBe(200);
    for (const type of ["text/plain; application/json", "text/plain", "application/json-patch+json", "application/json; charset=latin1", "multipart/form-data; boundary=x"]) {
      const response = await respond(null, post('{"title":"a"}', { "content-type": type }), context());
      expect(response.status, type).toBe(415);
    }
    expect((await respond(null, post('{"title":"a"}'), context())).status).toBe(415);
  });

  it("answers 400, not 500, for broken JSON, broken UTF-8 and JSON nested past the limit", async () => {
    const respond = echo("public");
    expect((await respond(null, post('{"title":', json), context())).status).toBe(400);
    expect((await respond(null, post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), json), context())).status).toBe(400);
    const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    expect((await respond(null, post(nested(MAX_JSON_DEPTH + 1), json), context())).status).toBe(400);
    // At the limit the body is parsed and the schema refuses it: 422, naming the form.
    expect((await respond(null, post(nested(MAX_JSON_DEPTH), json), context())).status).toBe(422);
    expect(jsonDepth('{"a":"[[[[{{{{","b":[{"c":"\\"]"}]}')).toBe(3);
  });

  it("refuses a declared length past the limit before reading", async () => {
    const respond = echo("public");
    const response = await respond(null, post("{}", { ...json, "content-length": String(DEFAULT_BODY_LIMIT + 1) }), context());
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it("cuts a body that never ends with 413 once the limit is read, whatever its length said", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    const started = Date.now();
    const response = await echo("public")(null, post(endless, json), context());
    expect(response.status).toBe(413);
    // Reading stopped at the limit (plus what the stream queued ahead), not after megabytes.
    expect(pulled).toBeLessThan(DEFAULT_BODY_LIMIT + 64 * 1024);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reads a declared larger limit, and a form route takes only urlencoded forms", async () => {
    const big = JSON.stringify({ title: "x".repeat(100_000) });
    expect((await echo("public")(null, post(big, json), context())).status).toBe(413);
    expect((await echo("public", { body: { kind: "json", maxBytes: 200_000 } })(null, post(big, json), context())).status).toBe(200);
    const form = echo("public", { body: { kind: "form", maxBytes: 4096 } });
    const ok = await form(null, post("title=hello", { "content-type": "application/x-www-form-urlencoded" }), context());
    expect(await ok.json()).toMatchObject({ input: { title: "hello" } });
    expect((await form(null, post('{"title":"a"}', json), context())).status).toBe(415);
  });

  it("parses a multipart route's form and answers 400, not 500, for a wrong boundary", async () => {
    const multipart = echo("public", { body: { kind: "multipart", maxBytes: 4096 } });
    const part = '--b1\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n--b1--\r\n';
    const ok = await multipart(null, post(part, { "content-type": "multipart/form-data; boundary=b1" }), context());
    expect(await ok.json()).toMatchObject({ input: { title: "hello" } });
    expect((await multipart(null, post(part, { "content-type": "multipart/form-data; boundary=other" }), context())).status).toBe(400);
    expect((await multipart(null, post(part, { "content-type": "multipart/form-data" }), context())).status).toBe(400);
    // JSON routes never parse multipart: 415 before reading.
    expect((await echo("public")(null, post(part, { "content-type": "multipart/form-data; boundary=b1" }), context())).status).toBe(415);
  });

  it("refuses a stream route's other content types and declared lengths past its limit", async () => {
    const upload = echo("public", { body: { kind: "stream", contentType: "application/octet-stream", maxBytes: 10 } });
    expect((await upload(null, post("0123456789", { "content-type": "application/octet-stream" }), context())).status).toBe(200);
    expect((await upload(null, post("0123456789", { "content-type": "text/plain" }), context())).status).toBe(415);
    expect((await upload(null, post("0123456789a", { "content-type": "application/octet-stream", "content-length": "11" }), context())).status).toBe(413);
  });
});

describe("route CSRF check", () => {
  const respond = echo(["sponsor"]);
  const body = '{"title":"a"}';

  it("refuses a signed-in change without a same-origin Origin or Sec-Fetch-Site", async () => {
    // The attack of the report: a no-cors POST from a same-site page, with the cookie attached.
    const forged = post(body, { "content-type": "text/plain; application/json", origin: "http://attacker.localhost" });
    expect((await respond(SPONSOR, forged, context())).status).toBe(403);
    expect((await respond(SPONSOR, post(body, { ...json, origin: "http://attacker.localhost" }), context())).status).toBe(403);
    expect((await respond(SPONSOR, post(body, { ...json, origin: "null" }), context())).status).toBe(403);
    expect((await respond(SPONSOR, post(body, json), context())).status).toBe(403);
    expect((await respond(SPONSOR, post(body, { ...json, "sec-fetch-site": "same-site" }), context())).status).toBe(403);
    // DELETE takes its input from the query string, but changes something all the same.
    expect((await respond(SPONSOR, new Request("http://localhost/api/test?title=a", { method: "DELETE" }), context())).status).toBe(403);
  });

  it("lets the portal's own pages through", async () => {
    expect((await respond(SPONSOR, post(body, { ...json, origin: "http://localhost" }), context())).status).toBe(200);
    expect((await respond(SPONSOR, post(body, { ...json, "sec-fetch-site": "same-origin" }), context())).status).toBe(200);
    // Reads change nothing and need no Origin.
    expect((await respond(SPONSOR, new Request("http://localhost/api/test?title=a"), context())).status).toBe(200);
  });

  it("leaves requests without a session to the access check (401), and public ones through", async () => {
    expect((await respond(null, post(body, json), context())).status).toBe(401);
    expect((await echo("public")(null, post(body, json), context())).status).toBe(200);
    // A public route grants nothing for the cookie: a client with one needs no Origin there.
    expect((await echo("public")(SPONSOR, post(body, json), context())).status).toBe(200);
  });
});

describe("route params", () => {
  it("parses params through the declared schema and answers 404 naming a bad one", async () => {
    const respond = echo("public", { params: z.object({ number: registrationNumber }) });
    const ok = await respond(null, new Request("http://localhost/api/test"), context({ number: " tlr-2026-00001" }));
    expect(await ok.json()).toMatchObject({ params: { number: "TLR-2026-00001" } });
    for (const bad of ["TLR-2026-0000\u0000", "%ED%A0%80", "\ud800", "TLR-2026-1", ""]) {
      const response = await respond(null, new Request("http://localhost/api/test"), context({ number: bad }));
      expect(response.status, JSON.stringify(bad)).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND", fieldErrors: { number: expect.any(Array) as unknown } } });
    }
  });

  it("reads a page's segment as a registration number or null, never throwing", () => {
    expect(registrationNumberSegment("TLR-2026-00001")).toBe("TLR-2026-00001");
    expect(registrationNumberSegment("tlr-2026-00001")).toBe("TLR-2026-00001");
    expect(registrationNumberSegment("%ED%A0%80")).toBeNull();
    expect(registrationNumberSegment("TLR-2026-00001%00")).toBeNull();
    expect(registrationNumberSegment("%")).toBeNull();
  });
});
