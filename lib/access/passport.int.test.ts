// GET /api/ga4gh/passport through the route wrapper: a researcher's passport holds the visas of
// their grants active now, and nothing else — not a revoked grant (from the moment it is revoked),
// not an expired one the expiry job has not marked yet, not one that starts later, not another
// researcher's; a sponsor account is refused.
//
// The grants are inserted by SQL, as the decision code (lib/access/service.ts `decide`, on the
// lead's branch) writes them: one AccessGrant per member and release with its minted visa. Once
// that code is merged, these rows should come from the real decision flow instead.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as passportRoute from "@/app/api/ga4gh/passport/route";
import { mintVisa, portalBase, verifyVisa } from "@/lib/access/visa";
import { publicJwks } from "@/lib/access/visa-key";
import type { SessionUser } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { handlerMeta } from "@/lib/handler";
import { query } from "@/scripts/test/database";
import { insertTestRelease, sponsorWithTrial, type SponsorWithTrial, type TestRelease } from "@/scripts/test/datasets";
import { TEST_PASSWORD } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const DAY = 86_400_000;

async function passport(session: SessionUser | null): Promise<{ status: number; body: { ga4gh_passport_v1?: string[]; error?: { code: string } }; cache: string | null }> {
  const response = await handlerMeta(passportRoute.GET)?.respondAs?.(session, new Request("http://localhost/api/ga4gh/passport"));
  if (!response) throw new Error("not a route");
  return { status: response.status, body: (await response.json()) as never, cache: response.headers.get("cache-control") };
}

async function researcher(label: string): Promise<SessionUser> {
  const { id } = await signUp({ name: `${label} Researcher`, email: uniqueEmail(label), password: TEST_PASSWORD, accountType: "RESEARCHER" });
  const user = await getSessionUser(id);
  if (!user) throw new Error("user vanished");
  return user;
}

let sponsor: SponsorWithTrial;
let release: TestRelease;

/**
 * An approved request of `user` for the release with one grant from `start` to `end`, its visa
 * minted as the decision code mints it (decided at the start). Returns the grant's id and visa.
 */
async function grant(user: SessionUser, opts: { start: Date; end: Date; endedAt?: Date }): Promise<{ id: string; visa: string }> {
  const requestId = `ar${randomBytes(8).toString("hex")}`;
  const number = `DAR-2026-${String(10_000 + Math.floor(Math.random() * 89_999))}${randomBytes(2).toString("hex")}`;
  await query(
    `INSERT INTO "AccessRequest" ("id", "number", "orgId", "researcherId", "state", "form", "agreementVersion", "decidedAt", "grantEnd", "updatedAt")
     VALUES ($1, $2, $3, $4, 'APPROVED', '{}'::jsonb, 1, $5, $6, now())`,
    [requestId, number, sponsor.org.id, user.id, opts.start.toISOString(), opts.end.toISOString()],
  );
  const id = `g_${randomBytes(12).toString("hex")}`;
  const visa = await mintVisa(
    { id, userId: user.id, datasetNumber: release.datasetNumber, release: release.release, orgSlug: sponsor.org.slug, decidedAt: opts.start, end: opts.end },
    { now: opts.start },
  );
  await query(
    `INSERT INTO "AccessGrant" ("id", "requestId", "userId", "releaseId", "start", "end", "visa", "endedAt", "endReason") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::"GrantEndReason")`,
    [id, requestId, user.id, release.releaseId, opts.start.toISOString(), opts.end.toISOString(), visa, opts.endedAt?.toISOString() ?? null, opts.endedAt ? "REVOKED" : null],
  );
  return { id, visa };
}

beforeAll(async () => {
  sponsor = await sponsorWithTrial("passport");
  release = await insertTestRelease({
    trial: { id: sponsor.trial.id, registrationNumber: sponsor.trial.registrationNumber, orgId: sponsor.org.id },
    userId: sponsor.user.id,
    files: [{ name: "visits.csv", bytes: new TextEncoder().encode("participant,visit\nP1,1\n"), format: "csv" }],
  });
});

describe("GET /api/ga4gh/passport", () => {
  it("lists the visas of the researcher's active grants only, each verifying against the portal's JWKS", async () => {
    const ada = await researcher("ada");
    const now = Date.now();
    const active = await grant(ada, { start: new Date(now - 10 * DAY), end: new Date(now + 300 * DAY) });
    const second = await grant(ada, { start: new Date(now - 5 * DAY), end: new Date(now + 30 * DAY) });
    await grant(ada, { start: new Date(now - 20 * DAY), end: new Date(now + 100 * DAY), endedAt: new Date(now - 2 * DAY) }); // revoked
    await grant(ada, { start: new Date(now - 400 * DAY), end: new Date(now - DAY) }); // expired, not yet marked by the expiry job
    await grant(ada, { start: new Date(now + 2 * DAY), end: new Date(now + 200 * DAY) }); // a renewal that starts later

    const { status, body, cache } = await passport(ada);
    expect(status).toBe(200);
    expect(cache).toBe("no-store");
    expect(body).toEqual({ ga4gh_passport_v1: [active.visa, second.visa] });
    const verified = await verifyVisa(active.visa, { jwks: await publicJwks(), issuer: portalBase() });
    expect(verified).toMatchObject({ sub: ada.id, jti: active.id, visa: { value: `${portalBase()}/datasets/${release.datasetNumber}/releases/1`, source: `${portalBase()}/dacs/${sponsor.org.slug}`, by: "dac" } });
  });

  it("drops a grant from the passport the moment it is revoked", async () => {
    const grace = await researcher("grace");
    const held = await grant(grace, { start: new Date(Date.now() - DAY), end: new Date(Date.now() + 90 * DAY) });
    expect((await passport(grace)).body.ga4gh_passport_v1).toEqual([held.visa]);
    // As the lead's revokeGrant writes it: endedAt and the reason, nothing else.
    await query(`UPDATE "AccessGrant" SET "endedAt" = now(), "endReason" = 'REVOKED', "revokeReason" = 'breach of the data use agreement' WHERE "id" = $1`, [held.id]);
    expect((await passport(grace)).body.ga4gh_passport_v1).toEqual([]);
  });

  it("never lists another researcher's grants, and gives an empty passport to one with none", async () => {
    const alan = await researcher("alan");
    const barbara = await researcher("barbara");
    const alans = await grant(alan, { start: new Date(Date.now() - DAY), end: new Date(Date.now() + 90 * DAY) });
    expect((await passport(barbara)).body).toEqual({ ga4gh_passport_v1: [] });
    expect((await passport(alan)).body).toEqual({ ga4gh_passport_v1: [alans.visa] });
  });

  it("refuses a sponsor account with 403 and no session with 401", async () => {
    const sponsorView = await passport(sponsor.user);
    expect(sponsorView.status).toBe(403);
    expect(sponsorView.body.ga4gh_passport_v1).toBeUndefined();
    expect((await passport(null)).status).toBe(401);
  });
});
