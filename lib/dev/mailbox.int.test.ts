// /api/dev/mailbox holds sign-in links and invitations: it answers only a loopback request, through
// the portal's own server (scripts/serve.ts sets the flag), to a portal listening on loopback.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/dev/mailbox/route";
import { handlerMeta } from "@/lib/handler";
import { recordDevMail } from "@/lib/mail/mutations";
import { PEER_FROM_SOCKET_FLAG } from "@/lib/net/address";
import { uniqueEmail } from "@/scripts/test/support";

const meta = handlerMeta(GET);

function ask(to: string, headers: Record<string, string>): Promise<Response> {
  if (!meta?.respondAs) throw new Error("the mailbox route is not declared through lib/handler.ts");
  return meta.respondAs(null, new Request(`http://localhost:3000/api/dev/mailbox?to=${encodeURIComponent(to)}`, { headers }));
}

describe("the development mailbox", () => {
  const to = uniqueEmail("mailbox");
  beforeEach(async () => {
    vi.stubEnv(PEER_FROM_SOCKET_FLAG, "1");
    await recordDevMail({ to, subject: "Your TrialLedger sign-in link", body: "secret link", link: "http://localhost/x" });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("answers a request from this machine", async () => {
    const response = await ask(to, { host: "localhost:3000", "x-forwarded-for": "127.0.0.1" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { mails: unknown[] }).mails.length).toBeGreaterThan(0);
  });

  it("is not there for a request from another machine, even one that names 127.0.0.1 itself", async () => {
    // The client's own header comes first; scripts/serve.ts appends the socket's address.
    const response = await ask(to, { host: "localhost:3000", "x-forwarded-for": "127.0.0.1, 192.0.2.10" });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("secret link");
  });

  it("is not there for a page of another site re-bound to 127.0.0.1", async () => {
    const response = await ask(to, { host: "rebind.evil.example:3000", "x-forwarded-for": "127.0.0.1" });
    expect(response.status).toBe(404);
  });

  it("is not there when the request did not come through the portal's server", async () => {
    vi.stubEnv(PEER_FROM_SOCKET_FLAG, "");
    const response = await ask(to, { host: "localhost:3000", "x-forwarded-for": "127.0.0.1" });
    expect(response.status).toBe(404);
  });
});
