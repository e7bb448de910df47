import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "@/lib/security/csp";

describe("contentSecurityPolicy", () => {
  it("allows proof workers from blob:, nothing remote, and no framing", () => {
    const csp = contentSecurityPolicy("bm9uY2U=");
    const directives: Record<string, string[]> = Object.fromEntries(
      csp.split("; ").map((d): [string, string[]] => [d.split(" ")[0] ?? "", d.split(" ").slice(1)]),
    );
    expect(directives["worker-src"]).toEqual(["'self'", "blob:"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toContain("'nonce-bm9uY2U='");
    for (const sources of Object.values(directives)) {
      for (const source of sources) expect(source).not.toMatch(/^https?:|^\*$/);
    }
  });

  it("lets pages connect to the chain's public RPC origin, and nothing else remote", () => {
    const csp = contentSecurityPolicy("bm9uY2U=", { chainRpc: "https://rpc.example.org/v1/secret-key" });
    expect(csp).toContain("connect-src 'self' https://rpc.example.org;");
    expect(csp).not.toContain("secret-key");
    expect(csp.match(/https?:\/\//g)).toHaveLength(1);
    expect(contentSecurityPolicy("x", { chainRpc: "not a url" })).toContain("connect-src 'self';");
  });
});
