import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./support";

// Malformed addresses and bodies against the running portal: each was a 500 in the report.

test("a malformed trial number in a page's address is a 404, never a 500", async ({ request }) => {
  for (const path of [
    "/trials/%ED%A0%80",
    "/trials/TLR-2026-00001%00",
    "/trials/%ED%A0%80/consent",
    "/trials/%00/fhir",
    "/participate/trials/%ED%A0%80",
    "/api/trials/%ED%A0%80",
    "/api/files/%00",
  ]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
  }
});

test("a line break in the sign-in page's callback URL is no 5xx", async ({ request }) => {
  for (const callbackUrl of ["%2F%0A%2Fevil.example%2F", "%0D%0ASet-Cookie:%20x=y", "%2F%09%2Fevil.example%2F"]) {
    const response = await request.get(`/sign-in?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
    expect(response.status(), callbackUrl).toBeLessThan(500);
  }
});

test("route bodies: wrong types are 415, broken multipart is no 5xx, bodies past the limit are 413", async ({ request }) => {
  const check = "/api/consent/enrolment/check";
  const plain = await request.post(check, { headers: { "content-type": "text/plain; application/json" }, data: '{"code":"ABCD"}' });
  expect(plain.status()).toBe(415);
  const multipart = await request.post(check, {
    headers: { "content-type": "multipart/form-data; boundary=expected" },
    data: '--other\r\nContent-Disposition: form-data; name="code"\r\n\r\nx\r\n--other--\r\n',
  });
  expect(multipart.status()).toBe(415);
  // The report's 1 MB padded consent proof and 100 MB anonymous post: refused at the limit.
  const padded = await request.post("/api/consent/trials/TLR-2026-00001/decisions", {
    headers: { "content-type": "application/json" },
    data: JSON.stringify({ proof: { padding: "x".repeat(1_000_000) } }),
  });
  expect(padded.status()).toBe(413);
  const nul = await request.get(`/api/trials?q=${encodeURIComponent("a\u0000b")}`);
  expect(nul.status()).toBe(422);
});

test("a signed-in visitor's cookie cannot be used from another origin of the same site (CSRF)", async ({ page, baseURL }) => {
  await signUp(page, { name: "Csrf Target", email: uniqueEmail("e2e-csrf") });
  // Signed in, the sponsor pages' malformed addresses are 404s too.
  for (const path of ["/orgs/%00", "/orgs/%ED%A0%80/trials/new", "/orgs/some-org/trials/%ED%A0%80/amend", "/orgs/%00/trials/TLR-2026-00001/consent"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
  }
  // What a no-cors fetch from another port of the same host (another origin, the same site, so
  // the SameSite=Lax session cookie goes along) sends: the report's attack. It is replayed through
  // the browser context's own cookie jar, because Chromium hides the answer of a no-cors request.
  const portal = new URL(baseURL ?? "http://localhost:3100");
  const target = `${portal.origin}/api/trials/TLR-2026-00001/versions`;
  const forged = { basedOnVersion: 1, record: {} };
  for (const origin of [`http://${portal.hostname}:${Number(portal.port) + 1}`, "null", undefined]) {
    const headers: Record<string, string> = { "content-type": "text/plain; application/json", ...(origin ? { origin } : {}) };
    const response = await page.request.post(target, { headers, data: JSON.stringify(forged) });
    expect(response.status(), String(origin)).toBe(403);
    expect(await response.text()).toContain("the portal's own pages");
  }
  // The portal's own page gets past the origin check (and is then refused for another reason).
  const own = await page.request.post(target, { headers: { "content-type": "application/json", origin: portal.origin }, data: JSON.stringify(forged) });
  expect(await own.text()).not.toContain("the portal's own pages");
});
