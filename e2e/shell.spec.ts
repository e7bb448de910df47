import { expect, test } from "@playwright/test";

test("the landing page explains the portal for each role", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clinical research you can verify.");
  for (const role of ["Trial sponsors", "Participants", "Researchers"]) {
    await expect(page.getByRole("heading", { level: 3, name: role })).toBeVisible();
  }
});

test("pages carry the security headers", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("worker-src 'self' blob:");
  expect(csp).toContain("frame-ancestors 'none'");
  // The one remote origin allowed anywhere is the chain's RPC, for the verifier page.
  const withUrls = csp.split("; ").filter((d) => /https?:\/\//.test(d));
  expect(withUrls.every((d) => d.startsWith("connect-src 'self' http"))).toBe(true);
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["strict-transport-security"]).toBeUndefined(); // development: http://localhost
});

test("the first Tab reaches the skip link, which moves focus past the navigation", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("the dark theme can be chosen and is remembered", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Colour theme").selectOption("dark");
  await expect(page.locator("html")).toHaveClass("dark");
  await page.reload();
  await expect(page.locator("html")).toHaveClass("dark");
  const background = await page.locator("body").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).not.toBe("rgb(255, 255, 255)");
});

test("health reports the embedded database and the local chain", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    ok: boolean;
    database: { kind: string; pending: string[] };
    chain: { reachable: boolean; chainId: number; latestBlock: number; contracts: Record<string, { address: string; deployed: boolean }> };
  };
  expect(body.ok).toBe(true);
  expect(body.database).toMatchObject({ kind: "pglite", pending: [] });
  expect(body.chain).toMatchObject({ reachable: true, chainId: 31337 });
  expect(body.chain.contracts.Semaphore?.deployed).toBe(true);
  expect(body.chain.contracts.Semaphore?.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
});

test("the development mailbox refuses a malformed address", async ({ request }) => {
  const response = await request.get("/api/dev/mailbox?to=nope");
  expect(response.status()).toBe(422);
});
