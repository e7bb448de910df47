import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const ORIGIN = "https://trialledger.example";

/**
 * Ways to make a "same-site path" that a browser resolves to another host, gathered from the
 * issue's report (`/%09/evil.host/`) and the usual open-redirect corpora: whitespace and controls
 * browsers strip, backslashes they read as slashes, encoded slashes, dot segments that normalise to
 * `//`, protocol-relative and scheme URLs, and look-alike hosts.
 */
const TRICKS = [
  "/\t/evil.host/",
  "/%09/evil.host/",
  "/\n/evil.host/",
  "/\r\n/evil.host/",
  "/%0a/evil.host/",
  "/%0d%0a/evil.host/",
  "/ /evil.host/",
  "/\u0000/evil.host/",
  "/%00/evil.host/",
  "\t//evil.host/",
  " //evil.host/",
  "//evil.host/",
  "///evil.host/",
  "////evil.host/",
  "/\\evil.host/",
  "\\\\evil.host/",
  "/\\/evil.host/",
  "/%5cevil.host/",
  "/%5C%5Cevil.host/",
  "/%2fevil.host/",
  "/%2F%2Fevil.host/",
  "%2F%2Fevil.host/",
  "/.//evil.host/",
  "/a/../..//evil.host/",
  "/..//evil.host/",
  "https://evil.host/",
  "http://evil.host/",
  "HTTPS://evil.host/",
  "https:/evil.host/",
  "https:evil.host/",
  "https://trialledger.example.evil.host/",
  "https://trialledger.example@evil.host/",
  "https://evil.host/https://trialledger.example/",
  "http://trialledger.example/", // right host, wrong scheme: another origin
  "https://trialledger.example:8443/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "evil.host",
  "/\u3000/evil.host/",
  "/\uff0f/evil.host/",
  "/\u2028/evil.host/",
  `/${"a".repeat(3000)}`,
  "",
];

describe("safeCallbackPath", () => {
  it.each(TRICKS.map((t) => [JSON.stringify(t), t]))("refuses %s", (_label, trick) => {
    expect(safeCallbackPath(trick, "/dashboard", ORIGIN)).toBe("/dashboard");
    expect(safeCallbackPath(trick)).toBe("/dashboard");
  });

  it("keeps the portal's own paths, with their query and fragment", () => {
    expect(safeCallbackPath("/orgs/acme?tab=members")).toBe("/orgs/acme?tab=members");
    expect(safeCallbackPath("/trials/TLR-2026-00001#versions", "/", ORIGIN)).toBe("/trials/TLR-2026-00001#versions");
    expect(safeCallbackPath("/invite/abc%20def")).toBe("/invite/abc%20def");
    expect(safeCallbackPath("/sign-in?callbackUrl=%2Forgs")).toBe("/sign-in?callbackUrl=%2Forgs");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("turns an absolute URL on the portal's origin into its path, and only with the origin given", () => {
    expect(safeCallbackPath("https://trialledger.example/orgs?x=1", "/dashboard", ORIGIN)).toBe("/orgs?x=1");
    expect(safeCallbackPath("https://TrialLedger.example/orgs", "/dashboard", ORIGIN)).toBe("/orgs");
    expect(safeCallbackPath("https://trialledger.example/orgs")).toBe("/dashboard");
  });

  it("normalises dot segments that stay on the site", () => {
    expect(safeCallbackPath("/orgs/../account")).toBe("/account");
  });

  it("falls back for what is not a string", () => {
    expect(safeCallbackPath(undefined, "/")).toBe("/");
    expect(safeCallbackPath(["/orgs"])).toBe("/dashboard");
  });
});
