// Every server action and route handler, found by walking the source tree, must be declared
// through lib/handler.ts, and every one that is not declared public must refuse a request without
// a session (401) and, where its declaration names roles, a session with none of them (403).
import { describe, expect, it } from "vitest";
import { ROLES, roleOutside } from "@/lib/auth/roles";
import { handlerMeta } from "@/lib/handler";
import { handlerExports } from "@/scripts/test/handlers";
import { sessionWith } from "@/scripts/test/support";

/** Handlers that anyone may call, with the reason. A new public handler must be added here. */
const DECLARED_PUBLIC: Record<string, string> = {
  "auth.signUp": "creating an account needs no account",
  "auth.signIn": "signing in needs no session",
  "auth.requestMagicLink": "signing in needs no session",
  "auth.endpoint.get": "Auth.js's own endpoints (CSRF token, session, magic-link callback)",
  "auth.endpoint.post": "Auth.js's own endpoints (sign-in callbacks)",
  "prefs.setTheme": "a display preference",
  health: "monitoring, no data",
  deployments: "verifiers must learn the contracts to trust from the operator, not from a receipt; addresses are public on chain",
  "dev.mailbox": "development only; absent in production",
  "trials.list": "the registry is public: registered trials are published for anyone (WHO registry criteria)",
  "trials.get": "the registry is public: every version of a record is published, so amendments are visible",
  "trials.receipt": "receipts exist so anyone can verify a record without trusting the portal",
  "trials.record": "the frozen registration record, which anyone may verify against its receipt",
  "trials.fileReceipt": "receipts of registered files, for independent verification",
  "datasets.releaseReceipt": "a published release's manifest receipt, so anyone can verify the release without trusting the portal",
  "datasets.manifest": "the frozen manifest of a published release (metadata, dictionary, conditions, file digests; no file contents), to verify against its receipt",
  "datasets.fileReceipt": "receipts of a published release's files, for independent verification",
  "files.get": "files attached to registered trials are public, to be verified",
  openapi: "describes the public API; no data",
  "access.export.download": "a download link is its own authority (an HMAC over the file, the user and a 10-minute expiry), and every request re-checks that user's grant (lib/exports/exports.int.test.ts)",
  "access.export.inclusion": "an export's inclusion tags are published so participants' devices check them locally, without saying who asks; they name no row and no per-grant pseudonym",
  "trials.fhir": "public registry data (FHIR)",
  "datasets.get": "a dataset's published releases: metadata, conditions, dictionary and file digests, never contents or drafts",
  "datasets.release": "one published release, as on the dataset's public page",
  "datasets.dictionary": "a published release's data dictionary, so researchers can plan an analysis before requesting access",
  "datasets.list": "the dataset catalogue is public (issue 10): what exists and on which conditions; access to the data is requested",
  "consent.enrolment.check": "participants have no account by design (DESIGN.md consent model); spends nothing",
  "consent.enrolment.redeem": "participants have no account; the single-use code is the authorisation",
  "consent.trials": "which trials take participants is public, like the registry",
  "consent.overview": "the consent tally is public transparency data",
  "consent.group": "the group's commitments are public on chain; devices need them to prove membership",
  "consent.events": "every decision and its proof is public on chain, for anyone to re-verify",
  "consent.decide": "participants have no account; the zero-knowledge proof is the authorisation",
  "consent.handover.answer": "participants have no account; the proof over the one-time challenge is the authorisation",
  "log.checkpoint": "the transparency log is public so anyone can verify it (C2SP tlog-tiles)",
  "log.vkey": "the checkpoints' verifier key: verifiers need it to check signatures",
  "log.tile": "the log's tiles and entry bundles are public (C2SP tlog-tiles); entries hold no private detail in clear",
  "log.entries": "the log's entries are public; private details appear only as salted commitments",
  "log.entry": "an entry and its receipt, for anyone to verify",
  "log.proof.inclusion": "Merkle proofs over the public log",
  "log.proof.consistency": "Merkle proofs over the public log",
  "access.register": "the access register is public by design (issue 11, CSDR and the EGA publish theirs): folded from the public log's access entries only, nothing private",
  "log.witness": "where the log is anchored on chain; public on chain already",
  "ga4gh.jwks": "the visas' public key set (GA4GH Passport jku): clearinghouses need it to check a visa; public keys only",
  "ontology.terms": "the disease ontology (Mondo, CC BY 4.0) is public reference data; the catalogue's condition filter needs it signed out",
};

describe("access control of every action and route", async () => {
  const { routes, actions } = await handlerExports();
  const all = [...routes, ...actions];

  it("finds the handlers", () => {
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(actions.length).toBeGreaterThanOrEqual(8);
  });

  it.each(all.map((e) => [`${e.file} ${e.exportName}`, e] as const))("%s is declared through the wrapper", (_label, entry) => {
    expect(handlerMeta(entry.value), `${entry.file} exports ${entry.exportName} without lib/handler.ts`).toBeDefined();
  });

  const declared = all.flatMap((entry) => {
    const meta = handlerMeta(entry.value);
    return meta ? [{ ...entry, meta }] : [];
  });

  it("declares public only what is listed as public, with a reason", () => {
    const publicNames = declared.filter((d) => d.meta.access === "public").map((d) => d.meta.name);
    expect(new Set(publicNames)).toEqual(new Set(Object.keys(DECLARED_PUBLIC)));
  });

  const guarded = declared.filter((d) => d.meta.access !== "public");

  it.each(guarded.map((d) => [`${d.meta.kind} ${d.meta.name}`, d] as const))("%s refuses a missing session with 401", async (_label, d) => {
    const request = new Request("http://localhost/api/x", { method: d.exportName === "GET" ? "GET" : "POST" });
    const result = await d.meta.invokeAs(null, ...(d.meta.kind === "route" ? [request] : [{}]));
    expect(result.status).toBe(401);
  });

  it.each(guarded.map((d) => [`${d.meta.kind} ${d.meta.name}`, d] as const))("%s refuses a role it does not allow with 403", async (_label, d) => {
    const outside = roleOutside(d.meta.access);
    if (!outside) {
      // Declared for any signed-in account: every role passes the role check.
      expect(d.meta.access).toBe("signed-in");
      return;
    }
    expect(outside.every((r) => ROLES.includes(r))).toBe(true);
    // From the portal's own origin, so the role check answers, not the CSRF check before it.
    const request = new Request("http://localhost/api/x", { method: "POST", headers: { origin: "http://localhost" } });
    const result = await d.meta.invokeAs(sessionWith(outside), ...(d.meta.kind === "route" ? [request] : [{}]));
    expect(result.status).toBe(403);
  });
});
