import "server-only";
import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { Readable, Transform, pipeline } from "node:stream";
import { requireTeamRequest } from "@/lib/access/service";
import { matchContextOf } from "@/lib/access/explain";
import { type RequestRow } from "@/lib/access/data";
import { parseReleaseRef, releaseRefOf, requestDraft } from "@/lib/access/schema";
import { visaSigningKey } from "@/lib/access/visa-key";
import type { SessionUser } from "@/lib/auth/roles";
import { blobStore } from "@/lib/blobs/store";
import { getChain } from "@/lib/chain/client";
import { canonicalize } from "@/lib/canonical-json";
import { listConsentStates, listConsentVersions } from "@/lib/consent/data";
import { frozenItems } from "@/lib/consent/schema";
import { dataDictionary } from "@/lib/datasets/dictionary";
import { dictionaryToJson } from "@/lib/datasets/dictionary-io";
import { dataUseConditions } from "@/lib/duo/conditions";
import { loadDiseaseContext } from "@/lib/duo/disease-context";
import { diseaseIdsOf } from "@/lib/duo/match";
import { describePurpose } from "@/lib/duo/purpose-words";
import { researchPurpose } from "@/lib/duo/purpose";
import { AppError } from "@/lib/errors";
import { FILTER_OUTCOMES, FILTER_RULE, type FilterOutcome, consentFilter } from "@/lib/exports/consent-filter";
import { crypt4ghEncryptStream, formatCrypt4ghPublicKey, parseCrypt4ghPublicKey } from "@/lib/exports/crypt4gh";
import * as data from "@/lib/exports/data";
import { inclusionTagger } from "@/lib/exports/inclusion";
import { exportSecret, grantPseudonymizer } from "@/lib/exports/keys";
import { EXPORT_MANIFEST_TYPE, type ExportManifest, exportManifestDigest, signExportManifest } from "@/lib/exports/manifest";
import * as writes from "@/lib/exports/mutations";
import { exportTabular } from "@/lib/exports/stream";
import { type ExportSubject, type FhirExportContext, fhirConsent, fhirResearchSubject, fhirResourceId } from "@/lib/exports/fhir";
import { grantedItems } from "@/lib/consent/message";
import { env } from "@/lib/env";

/**
 * Consent-gated exports (issue 12; docs/exports.md): one release under one approved request, built
 * as streams into the blob store, frozen with a signed, logged and anchored manifest, and delivered
 * through short-lived links that re-check the grant on every download.
 */

const NOT_FOUND = "There is no such export, or you are not on its team.";
const TABULAR = new Set(["csv", "tsv", "ndjson"]);
/** How the manifest says the pseudonyms were keyed (lib/exports/keys.ts). */
const PSEUDONYM_SCHEME = "HMAC-SHA256 of the trial pseudonym (32 bytes big-endian) under HKDF-SHA256(export secret, salt = request id, info = trialledger/pseudonym/v1)";
/** Rows between two progress writes. */
const PROGRESS_EVERY = 50_000;
/** A download link lives 10 minutes (STANDARDS.md §5: ≤ 15). */
export const LINK_TTL_MS = 10 * 60 * 1000;

function assertApproved(request: RequestRow): void {
  if (request.state !== "APPROVED") throw new AppError("CONFLICT", `${request.number} is not approved, so nothing can be exported under it.`);
}

/** The user's active grant to the release under the request. @throws AppError FORBIDDEN when none is active now */
async function requireActiveGrant(opts: { requestId: string; releaseId: string; userId: string; label: string }): Promise<void> {
  const grant = await data.findActiveGrant({ ...opts, now: new Date() });
  if (!grant) throw new AppError("FORBIDDEN", `You hold no active grant to ${opts.label}: it was revoked, has expired, or has not started.`);
}

/** The consent state an export states: the chain, ConsentRegistry and the block its mirror is read at. */
async function consentPoint(): Promise<{ chainId: number; registry: string; blockNumber: number }> {
  try {
    const chain = await getChain();
    const blockNumber = await chain.provider.getBlockNumber();
    return { chainId: chain.chainId, registry: await chain.contracts.ConsentRegistry.getAddress(), blockNumber };
  } catch (error) {
    throw new AppError("UNAVAILABLE", "The chain cannot be reached, so the consent state cannot be stated: try again shortly.", { cause: error });
  }
}

type BuiltFile = writes.FinishedFile;

/** Streams `source` into the blob store, through Crypt4GH when the researcher has a key. */
async function store(source: Readable, recipient: Uint8Array | null, maxBytes: number): Promise<{ digest: string; size: number }> {
  // pipeline: an error anywhere destroys every stage, so the put fails and stores nothing.
  const stream = recipient ? pipeline(source, crypt4ghEncryptStream(recipient), () => undefined) : source;
  const put = await blobStore().put(stream, { maxBytes });
  return { digest: put.digest, size: put.size };
}

/**
 * Builds an export of `release` (a ref like TLR-2026-00001.D1/1) under the approved request
 * `number`, for a team member holding an active grant to it. Returns the export's number.
 * @throws AppError NOT_FOUND (not on the team), CONFLICT (not approved), FORBIDDEN (no active grant), VALIDATION (release not in the request), UNAVAILABLE (chain down)
 */
export async function buildExport(opts: { user: SessionUser; number: string; release: string }): Promise<{ number: string }> {
  const request = await requireTeamRequest(opts.user, opts.number);
  assertApproved(request);
  const { datasetNumber, release: releaseNumber } = parseReleaseRef(opts.release);
  const requested = request.releases.find((r) => r.release.dataset.number === datasetNumber && r.release.number === releaseNumber)?.release;
  if (!requested) throw new AppError("VALIDATION", `${opts.release} is not a release of ${request.number}.`, { fieldErrors: { release: [`${opts.release} is not a release of this request.`] } });
  await requireActiveGrant({ requestId: request.id, releaseId: requested.id, userId: opts.user.id, label: opts.release });
  const release = await data.getExportRelease(requested.id);
  if (!release) throw new AppError("NOT_FOUND", `${opts.release} is not published.`);

  const form = requestDraft.parse(request.submitted ?? request.form);
  const purpose = researchPurpose.parse(form.purpose);
  const conditions = dataUseConditions.parse(release.conditions);
  const dictionary = dataDictionary.parse(release.dictionary);
  const pseudonymColumn = dictionary.columns.find((c) => c.pseudonym)?.name;
  if (!pseudonymColumn) throw new AppError("CONFLICT", `${opts.release} has no pseudonym column, so its rows cannot be filtered by consent.`);
  const diseases = await loadDiseaseContext(diseaseIdsOf(purpose, [conditions]));
  const versionRows = await listConsentVersions(release.dataset.trialId);
  const versions = new Map(versionRows.map((v) => [v.version, frozenItems.parse(v.items)]));
  const filter = consentFilter(versions, conditions, matchContextOf(request, form, purpose, diseases));

  const point = await consentPoint();
  // The mirror as of now (at or after `point.blockNumber`): a decision the portal accepted counts at
  // once, so a withdrawal still on its way to the chain already leaves its rows out.
  const decisions = new Map((await listConsentStates(release.dataset.trialId)).map((s) => [s.nullifier, { grants: BigInt(s.grants), textVersion: s.textVersion }]));
  const recipientText = await data.findCrypt4ghKey(opts.user.id);
  const recipient = recipientText ? parseCrypt4ghPublicKey(recipientText) : null;
  const pseudonymize = grantPseudonymizer(exportSecret(), request.id);

  const created = await writes.createExport({ requestId: request.id, requestNumber: request.number, releaseId: release.id, userId: opts.user.id });
  try {
    const included = new Set<string>();
    const outcomes = new Map<FilterOutcome, number>();
    let rowsRead = 0;
    const files: BuiltFile[] = [];
    for (const file of release.files) {
      if (TABULAR.has(file.format)) {
        const built = exportTabular(await blobStore().open(file.digest), {
          format: file.format as "csv" | "tsv" | "ndjson",
          pseudonymColumn,
          decide: (pseudonym) => {
            rowsRead++;
            if (rowsRead % PROGRESS_EVERY === 0) void writes.recordProgress(created.id, rowsRead).catch(() => undefined);
            const outcome = filter(decisions.get(pseudonym) ?? null);
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
            if (outcome !== "kept") return null;
            included.add(pseudonym);
            return pseudonymize(pseudonym);
          },
        });
        const stored = await store(built.output, recipient, Number(file.size) * 4 + 1024 * 1024);
        const result = await built.done;
        files.push({ name: file.name, kind: "data", source: file.name, rowsKept: result.rowsKept, rowsExcluded: result.rowsExcluded, bytes: result.bytes, sha256: result.sha256, ...(recipient ? { cipherBytes: stored.size, cipherSha256: stored.digest } : {}), blobDigest: stored.digest });
      } else {
        // A document of the release (protocol, codebook…): as it is; the committee approved the
        // request against the release's conditions, which cover its documents.
        files.push(await storeDocument(file.name, file.name, await blobStore().open(file.digest), Number(file.size), recipient));
      }
    }
    const subjects = await fhirSubjects({ requestId: request.id, decisions, included, pseudonymize });
    const fhirContext = (version: number): FhirExportContext => ({
      portalUrl: env().authUrl,
      grantId: request.number,
      trialNumber: release.dataset.trial.registrationNumber,
      consentItems: versions.get(version) ?? [],
      consentTextDigest: versionRows.find((v) => v.version === version)?.digest ?? `0x${"0".repeat(64)}`,
    });
    const fhirLines = subjects.flatMap((subject) => {
      const ctx = fhirContext(subject.decision?.textVersion ?? 1);
      return [`${JSON.stringify(fhirConsent(subject, ctx))}\n`, `${JSON.stringify(fhirResearchSubject(subject, ctx, fhirResourceId(subject)))}\n`];
    });
    const fhirBytes = Buffer.from(fhirLines.join(""));
    files.push({ ...(await storeDocument("fhir-r4.ndjson", undefined, Readable.from([fhirBytes]), fhirBytes.length, recipient)), kind: "fhir" });
    const dictionaryBytes = Buffer.from(dictionaryToJson(dictionary));
    files.push(await storeDocument("data-dictionary.json", undefined, Readable.from([dictionaryBytes]), dictionaryBytes.length, recipient));

    const tag = await inclusionTagger(created.id);
    const inclusion = (await Promise.all([...included].map((p) => tag(p)))).sort();
    const rowsKept = outcomes.get("kept") ?? 0;
    const described = describePurpose(purpose, diseases.labels);
    const manifest: ExportManifest = {
      type: EXPORT_MANIFEST_TYPE,
      export: { id: created.id, number: created.number, createdAt: new Date().toISOString() },
      grant: { request: request.number, pseudonyms: PSEUDONYM_SCHEME },
      release: { dataset: release.dataset.number, number: release.number, manifestDigest: release.manifestDigest ?? "" },
      consent: point,
      filter: { rule: FILTER_RULE, keeps: FILTER_OUTCOMES.kept },
      files: files.map((f) => ({
        name: f.name,
        kind: f.kind as "data" | "document" | "fhir",
        ...(f.source ? { source: f.source } : {}),
        ...(f.rowsKept !== undefined ? { rowsKept: f.rowsKept, rowsExcluded: f.rowsExcluded ?? 0 } : {}),
        bytes: f.bytes,
        sha256: f.sha256,
        ...(f.cipherSha256 ? { encrypted: { format: "crypt4gh-v1" as const, bytes: f.cipherBytes ?? 0, sha256: f.cipherSha256 } } : {}),
      })),
    };
    const signed = await signExportManifest(manifest, await visaSigningKey());
    const manifestDigest = exportManifestDigest(signed.manifest);
    await writes.finishExport({
      exportId: created.id,
      files,
      consent: point,
      signedManifest: canonicalize(signed),
      manifestDigest,
      inclusion,
      rowsRead,
      log: {
        kind: "export.created",
        actor: { type: "user", id: opts.user.id },
        subject: { type: "export", id: created.number },
        details: {
          export: created.number,
          trial: release.dataset.trial.registrationNumber,
          release: releaseRefOf(release.dataset.number, release.number),
          request: request.number,
          institution: form.institution?.name ?? "",
          purpose: described?.text ?? purpose.category,
          manifestDigest,
          chainId: point.chainId,
          blockNumber: point.blockNumber,
          rowsKept,
          rowsExcluded: rowsRead - rowsKept,
        },
        orgId: request.orgId,
      },
    });
    return { number: created.number };
  } catch (error) {
    await writes.failExport(created.id, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/**
 * The participants the FHIR file describes: each whose rows are kept (on-study), and each whose rows
 * an earlier export of this request held and this one leaves out (withdrawn) — the researcher already
 * holds their per-request pseudonym, and learns no one else's.
 */
async function fhirSubjects(opts: {
  requestId: string;
  decisions: ReadonlyMap<string, { grants: bigint; textVersion: number }>;
  included: ReadonlySet<string>;
  pseudonymize: (nullifier: string) => string;
}): Promise<ExportSubject[]> {
  const decisionOf = (nullifier: string): ExportSubject["decision"] => {
    const d = opts.decisions.get(nullifier);
    return d ? { grantedItems: grantedItems(d.grants), textVersion: d.textVersion, decidedAt: null } : null;
  };
  const subjects: ExportSubject[] = [...opts.included].sort().map((n) => ({ pseudonym: opts.pseudonymize(n), status: "on-study", decision: decisionOf(n) }));
  const earlier = await data.listEarlierInclusions(opts.requestId);
  if (earlier.length) {
    const lists = await Promise.all(earlier.map(async (e) => ({ tag: await inclusionTagger(e.id), tags: new Set(Array.isArray(e.inclusion) ? (e.inclusion as string[]) : []) })));
    for (const nullifier of [...opts.decisions.keys()].sort()) {
      if (opts.included.has(nullifier)) continue;
      for (const list of lists) {
        if (list.tags.has(await list.tag(nullifier))) {
          subjects.push({ pseudonym: opts.pseudonymize(nullifier), status: "withdrawn", decision: decisionOf(nullifier) });
          break;
        }
      }
    }
  }
  return subjects;
}

async function storeDocument(name: string, source: string | undefined, input: Readable, size: number, recipient: Uint8Array | null): Promise<BuiltFile> {
  const hash = createHash("sha256");
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const stored = await store(pipeline(input, hashing, () => undefined), recipient, size * 2 + 1024 * 1024);
  const sha256 = `0x${hash.digest("hex")}`;
  return { name, kind: "document", ...(source ? { source } : {}), bytes, sha256, ...(recipient ? { cipherBytes: stored.size, cipherSha256: stored.digest } : {}), blobDigest: stored.digest };
}

/** A request's exports for its team, newest last. */
export async function listExports(opts: { user: SessionUser; number: string }) {
  const request = await requireTeamRequest(opts.user, opts.number);
  return (await data.listExportsOfRequest(request.id)).map(exportView);
}

/** One export with its signed manifest, for its team. */
export async function showExport(opts: { user: SessionUser; number: string }) {
  const row = await data.getExport(opts.number);
  if (!row) throw new AppError("NOT_FOUND", NOT_FOUND);
  await requireTeamRequest(opts.user, row.request.number).catch(() => {
    throw new AppError("NOT_FOUND", NOT_FOUND);
  });
  return { ...exportView(row), manifest: row.manifest ? (JSON.parse(row.manifest) as unknown) : null };
}

function exportView(row: data.ExportRow) {
  return {
    number: row.number,
    status: row.status.toLowerCase() as "building" | "ready" | "failed",
    request: row.request.number,
    release: releaseRefOf(row.release.dataset.number, row.release.number),
    rowsRead: row.rowsRead,
    consent: row.blockNumber === null ? null : { chainId: row.chainId, registry: row.registry, blockNumber: row.blockNumber },
    manifestDigest: row.manifestDigest,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    files: row.files.map((f) => ({
      id: f.id,
      name: f.cipherSha256 ? `${f.name}.c4gh` : f.name,
      kind: f.kind,
      rowsKept: f.rowsKept,
      rowsExcluded: f.rowsExcluded,
      bytes: Number(f.cipherBytes ?? f.bytes),
      sha256: f.cipherSha256 ?? f.sha256,
      encrypted: f.cipherSha256 !== null,
    })),
  };
}

// ─── download links ──────────────────────────────────────────────────────────────────────────────

let linkKey: Buffer | undefined;
/** The links' HMAC key, derived from the export secret apart from the pseudonym keys. */
function downloadLinkKey(): Buffer {
  linkKey ??= Buffer.from(hkdfSync("sha256", exportSecret(), Buffer.from("download-links"), "trialledger/download-link/v1", 32));
  return linkKey;
}

const sign = (payload: string) => createHmac("sha256", downloadLinkKey()).update(payload).digest("base64url");

/**
 * A link to one file of an export for one team member, valid 10 minutes: `<file id>.<user id>.<expiry
 * ms>.<HMAC>`. Bound to the file and the user (whose grant every download re-checks), not a bearer
 * secret that outlives a revocation.
 */
export async function createDownloadLink(opts: { user: SessionUser; number: string; fileId: string; now?: Date }): Promise<{ token: string; url: string; expiresAt: string }> {
  const file = await data.getExportFile(opts.fileId);
  if (!file || file.export.number !== opts.number) throw new AppError("NOT_FOUND", NOT_FOUND);
  await requireDownloadable(file, opts.user.id);
  const expires = (opts.now ?? new Date()).getTime() + LINK_TTL_MS;
  const payload = `${file.id}.${opts.user.id}.${expires}`;
  const token = `${payload}.${sign(payload)}`;
  return { token, url: `/api/exports/download/${token}`, expiresAt: new Date(expires).toISOString() };
}

async function requireDownloadable(file: NonNullable<Awaited<ReturnType<typeof data.getExportFile>>>, userId: string): Promise<void> {
  const onTeam = file.export.request.researcherId === userId || file.export.request.members.some((m) => m.userId === userId);
  if (!onTeam) throw new AppError("NOT_FOUND", NOT_FOUND);
  if (file.export.status !== "READY") throw new AppError("CONFLICT", `Export ${file.export.number} is not ready.`);
  await requireActiveGrant({ requestId: file.export.requestId, releaseId: file.export.releaseId, userId, label: `the release of export ${file.export.number}` });
}

/**
 * The file a link names, after checking the link (its HMAC, its expiry) and then the grant, now:
 * a link made before a revocation fails at the next request. Logs the download.
 * @throws AppError NOT_FOUND (not a link), GONE (expired), FORBIDDEN (grant not active)
 */
export async function openDownload(token: string, now: Date = new Date()): Promise<{ name: string; bytes: number; stream: Readable }> {
  const parts = token.split(".");
  if (parts.length !== 4) throw new AppError("NOT_FOUND", "That is not a download link.");
  const [fileId, userId, expires, mac] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(`${fileId}.${userId}.${expires}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError("NOT_FOUND", "That is not a download link.");
  if (!/^\d+$/.test(expires) || Number(expires) <= now.getTime()) throw new AppError("GONE", "This download link has expired: make a new one on the export's page.");
  const file = await data.getExportFile(fileId);
  if (!file) throw new AppError("NOT_FOUND", "That file no longer exists.");
  await requireDownloadable(file, userId);
  const encrypted = file.cipherBytes !== null;
  const bytes = Number(file.cipherBytes ?? file.bytes);
  const stream = await blobStore().open(file.blobDigest);
  await writes.logDownload({
    kind: "export.downloaded",
    actor: { type: "user", id: userId },
    subject: { type: "export", id: file.export.number },
    details: { export: file.export.number, file: encrypted ? `${file.name}.c4gh` : file.name, bytes, encrypted },
    orgId: file.export.request.orgId,
  });
  return { name: encrypted ? `${file.name}.c4gh` : file.name, bytes, stream };
}

// ─── the participant's check and the researcher's key ───────────────────────────────────────────

/**
 * A ready export's inclusion list: its id (the tags' key) and the sorted tags of every participant
 * whose rows it holds (lib/exports/inclusion.ts). Public: a device downloads the whole list and checks
 * its own tag locally, so asking tells the portal nothing about who asks.
 */
export async function exportInclusion(number: string): Promise<{ export: string; exportId: string; tags: string[] }> {
  const row = await data.getInclusion(number);
  if (!row) throw new AppError("NOT_FOUND", "There is no ready export with that number.");
  return { export: row.number, exportId: row.id, tags: Array.isArray(row.inclusion) ? (row.inclusion as string[]) : [] };
}

/** The researcher's Crypt4GH key as `crypt4gh-keygen` writes it, or null. */
export async function crypt4ghKeyOf(user: SessionUser): Promise<{ publicKey: string | null }> {
  const stored = await data.findCrypt4ghKey(user.id);
  return { publicKey: stored ? formatCrypt4ghPublicKey(Buffer.from(stored, "base64")) : null };
}

/** Registers the researcher's Crypt4GH public key: later exports are encrypted to it. @throws AppError VALIDATION naming `publicKey` */
export async function setCrypt4ghKey(opts: { user: SessionUser; publicKey: string }): Promise<{ publicKey: string }> {
  let key: Uint8Array;
  try {
    key = parseCrypt4ghPublicKey(opts.publicKey);
  } catch (error) {
    const message = error instanceof Error ? error.message : "not a Crypt4GH public key";
    throw new AppError("VALIDATION", message, { fieldErrors: { publicKey: [message] } });
  }
  await writes.setCrypt4ghKey(opts.user.id, Buffer.from(key).toString("base64"));
  return { publicKey: formatCrypt4ghPublicKey(key) };
}

/** Removes the key: later exports are delivered as plaintext over the authenticated links. */
export async function removeCrypt4ghKey(opts: { user: SessionUser }): Promise<{ publicKey: null }> {
  await writes.setCrypt4ghKey(opts.user.id, null);
  return { publicKey: null };
}
