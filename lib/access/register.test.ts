import { describe, expect, it } from "vitest";
import { type LoggedEntry, buildRegister, datasetOfRelease, registerDiseaseIds } from "@/lib/access/register";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";
import { type LogEvent, buildEntry, parseEntry } from "@/lib/log/entry";
import type { LogKind, PrivateDetails, PublicDetails } from "@/lib/log/kinds";

const DIGEST = `0x${"ab".repeat(32)}`;
const AGREEMENT = { version: 1, digest: DIGEST };
const SIGNATURE = { meaning: "I approve this request", method: "password-reauthentication" as const };
const D1 = "TLR-2026-00001.D1";
const D2 = "TLR-2026-00002.D1";
const NOW = new Date("2027-03-01T00:00:00.000Z");

const noFlags = Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false]));
const PURPOSE = { duoRelease: DUO_RELEASE, category: "DS", diseases: ["MONDO:0005105"], flags: { ...noFlags, commercial: true, genetic: true } };

/**
 * A real log entry, as anyone downloading the log gets it: built by buildEntry, serialised, and
 * parsed back from its bytes.
 */
function entryOf<K extends LogKind>(
  index: number,
  kind: K,
  request: string,
  time: string,
  details: PublicDetails<K>,
  privateDetails?: PrivateDetails<K>,
): LoggedEntry {
  const event = {
    kind,
    actor: { type: "user", id: "user-1" },
    subject: { type: "access-request", id: request },
    details,
    ...(privateDetails === undefined ? {} : { private: privateDetails }),
  } as LogEvent;
  const built = buildEntry(event, new Date(time), new Uint8Array(32));
  return { index, document: parseEntry(built.body) };
}

let next = 0;
const at = (day: string) => `2026-${day}T09:00:00.000Z`;

function submitted(request: string, day: string, releases: string[], revision = 1): LoggedEntry {
  return entryOf(next++, "access.request-submitted", request, at(day), { releases, revision, agreement: AGREEMENT }, { title: "t", researcherEmail: "r@example.org" });
}
function approved(request: string, day: string, releases: string[], extra: Partial<PublicDetails<"access.approved">> = {}): LoggedEntry {
  return entryOf(
    next++,
    "access.approved",
    request,
    at(day),
    {
      releases,
      researcher: { id: "user-1", name: "Ada Researcher" },
      institution: { name: "University of Somewhere", notForProfit: true },
      title: "Melanoma outcomes",
      laySummary: "We study why some melanomas come back.",
      purpose: PURPOSE,
      withConditions: null,
      start: "2026-02-01T00:00:00.000Z",
      end: "2027-02-01T00:00:00.000Z",
      analysisPlanDigest: DIGEST,
      decidedVia: "manual",
      signature: SIGNATURE,
      ...extra,
    },
    { signerEmail: "c@example.org" },
  );
}
function denied(request: string, day: string, releases: string[]): LoggedEntry {
  return entryOf(next++, "access.denied", request, at(day), { releases, signature: SIGNATURE }, { reason: "no", signerEmail: "c@example.org" });
}
function returned(request: string, day: string): LoggedEntry {
  return entryOf(next++, "access.returned", request, at(day), { signature: SIGNATURE }, { reason: "revise", signerEmail: "c@example.org" });
}
function revoked(request: string, day: string, release: string, grant = "grant-1"): LoggedEntry {
  return entryOf(next++, "access.grant-revoked", request, at(day), { grant, userId: "user-1", release }, { reason: "breach" });
}

describe("buildRegister", () => {
  it("publishes an approved request whole, with its purpose in words and its log index", () => {
    const entries = [submitted("DAR-2026-00001", "01-01", [`${D1}/1`]), approved("DAR-2026-00001", "01-11", [`${D1}/1`])];
    const register = buildRegister(entries, new Date("2026-06-01T00:00:00.000Z"), { labels: new Map([["MONDO:0005105", "melanoma"]]) });
    expect(register.approved).toEqual([
      {
        request: "DAR-2026-00001",
        researcher: { id: "user-1", name: "Ada Researcher" },
        institution: { name: "University of Somewhere", notForProfit: true },
        title: "Melanoma outcomes",
        laySummary: "We study why some melanomas come back.",
        releases: [`${D1}/1`],
        purpose: {
          category: { code: "DS", id: "DUO:0000007", label: "Disease-specific research" },
          diseases: [{ id: "MONDO:0005105", label: "melanoma" }],
          flags: ["commercial", "genetic study"],
          text: "Disease-specific research: melanoma (MONDO:0005105); commercial, genetic study",
        },
        recordedPurpose: PURPOSE,
        withConditions: null,
        approvedAt: "2026-01-11T09:00:00.000Z",
        start: "2026-02-01T00:00:00.000Z",
        end: "2027-02-01T00:00:00.000Z",
        period: "active",
        analysisPlanDigest: DIGEST,
        decidedVia: "manual",
        logIndex: entries[1]?.index,
        revocations: 0,
      },
    ]);
    expect(register.metrics).toEqual({
      submitted: 1,
      byState: { submitted: 0, "in-review": 0, returned: 0, approved: 1, denied: 0, withdrawn: 0 },
      decided: 1,
      medianDaysToDecision: 10,
      approvalRate: 1,
    });
    expect(register.anomalies).toEqual([]);
  });

  it("counts from the first submission of a returned-then-resubmitted request, and keeps the releases of its revision", () => {
    const r = "DAR-2026-00002";
    const entries = [submitted(r, "01-01", [`${D1}/1`, `${D2}/1`]), returned(r, "01-05"), submitted(r, "01-20", [`${D1}/2`], 2), approved(r, "01-31", [`${D1}/2`])];
    const register = buildRegister(entries, NOW);
    expect(register.metrics.medianDaysToDecision).toBe(30);
    expect(register.approved[0]?.releases).toEqual([`${D1}/2`]);
    expect(register.approved[0]?.period).toBe("ended");
    // The revision dropped D2: the request is no longer one of D2's.
    expect(buildRegister(entries, NOW, { dataset: D2 }).metrics.submitted).toBe(0);
    expect(buildRegister(entries, NOW, { dataset: D1 }).approved).toHaveLength(1);
  });

  it("puts each request in its state: submitted, in review once the committee acts, returned, withdrawn", () => {
    const entries = [
      submitted("DAR-2026-00010", "02-01", [`${D1}/1`]),
      submitted("DAR-2026-00011", "02-01", [`${D1}/1`]),
      // A researcher's message does not put a request in review; a committee member's does.
      entryOf(next++, "access.message-posted", "DAR-2026-00010", at("02-02"), { from: "researcher" }, { textDigest: DIGEST }),
      entryOf(next++, "access.vote-cast", "DAR-2026-00011", at("02-02"), {}, { vote: "approve", rationale: "fine" }),
      submitted("DAR-2026-00012", "02-01", [`${D1}/1`]),
      returned("DAR-2026-00012", "02-03"),
      submitted("DAR-2026-00013", "02-01", [`${D1}/1`]),
      entryOf(next++, "access.withdrawn", "DAR-2026-00013", at("02-04"), {}),
    ];
    const { metrics } = buildRegister(entries, NOW);
    expect(metrics.byState).toEqual({ submitted: 1, "in-review": 1, returned: 1, approved: 0, denied: 0, withdrawn: 1 });
    expect(metrics).toMatchObject({ submitted: 4, decided: 0, medianDaysToDecision: null, approvalRate: null });
  });

  it("counts denied requests per dataset, once per request, naming nobody", () => {
    const entries = [
      submitted("DAR-2026-00020", "03-01", [`${D1}/1`, `${D1}/2`, `${D2}/1`]),
      denied("DAR-2026-00020", "03-03", [`${D1}/1`, `${D1}/2`, `${D2}/1`]),
      submitted("DAR-2026-00021", "03-01", [`${D1}/1`]),
      denied("DAR-2026-00021", "03-08", [`${D1}/1`]),
      submitted("DAR-2026-00022", "03-01", [`${D1}/1`]),
      approved("DAR-2026-00022", "03-05", [`${D1}/1`]),
    ];
    const register = buildRegister(entries, NOW);
    expect(register.denied).toEqual([
      { dataset: D1, requests: 2 },
      { dataset: D2, requests: 1 },
    ]);
    // Days to decision 2, 7 and 4: the median is 4; one approval of three decisions.
    expect(register.metrics).toMatchObject({ decided: 3, medianDaysToDecision: 4, approvalRate: 1 / 3 });
    expect(buildRegister(entries, NOW, { dataset: D2 }).denied).toEqual([{ dataset: D2, requests: 1 }]);
    expect(JSON.stringify(register)).not.toContain("DAR-2026-00021");
  });

  it("narrows to one trial's datasets, and to one of them with both", () => {
    const entries = [
      submitted("DAR-2026-00025", "03-01", [`${D1}/1`]),
      denied("DAR-2026-00025", "03-02", [`${D1}/1`]),
      submitted("DAR-2026-00026", "03-01", ["TLR-2026-00001.D2/1"]),
      submitted("DAR-2026-00027", "03-01", [`${D2}/1`]),
    ];
    const register = buildRegister(entries, NOW, { trial: "TLR-2026-00001" });
    expect(register.trial).toBe("TLR-2026-00001");
    expect(register.metrics.submitted).toBe(2);
    expect(register.denied).toEqual([{ dataset: D1, requests: 1 }]);
    expect(buildRegister(entries, NOW, { trial: "TLR-2026-00001", dataset: "TLR-2026-00001.D2" }).metrics.submitted).toBe(1);
  });

  it("takes the median of an even count as the mean of the middle two", () => {
    const entries = [
      submitted("DAR-2026-00030", "04-01", [`${D1}/1`]),
      approved("DAR-2026-00030", "04-02", [`${D1}/1`]),
      submitted("DAR-2026-00031", "04-01", [`${D1}/1`]),
      denied("DAR-2026-00031", "04-05", [`${D1}/1`]),
    ];
    expect(buildRegister(entries, NOW).metrics.medianDaysToDecision).toBe(2.5);
  });

  it("lists revocations of an approved request's grants, newest first, and counts them on the approval", () => {
    const r = "DAR-2026-00040";
    const entries = [
      submitted(r, "05-01", [`${D1}/1`, `${D2}/1`]),
      approved(r, "05-02", [`${D1}/1`, `${D2}/1`]),
      revoked(r, "06-01", `${D1}/1`, "grant-a"),
      revoked(r, "06-02", `${D2}/1`, "grant-b"),
    ];
    const register = buildRegister(entries, NOW);
    expect(register.revocations).toEqual([
      { request: r, release: `${D2}/1`, grant: "grant-b", at: at("06-02"), logIndex: entries[3]?.index },
      { request: r, release: `${D1}/1`, grant: "grant-a", at: at("06-01"), logIndex: entries[2]?.index },
    ]);
    expect(register.approved[0]?.revocations).toBe(2);
    expect(buildRegister(entries, NOW, { dataset: D1 }).revocations.map((x) => x.grant)).toEqual(["grant-a"]);
  });

  it("folds in index order whatever order the entries come in", () => {
    const entries = [submitted("DAR-2026-00050", "07-01", [`${D1}/1`]), approved("DAR-2026-00050", "07-03", [`${D1}/1`])];
    expect(buildRegister([...entries].reverse(), NOW)).toEqual(buildRegister(entries, NOW));
  });

  it("lists entries that do not fit as anomalies and lets them change nothing", () => {
    const entries = [
      approved("DAR-2026-00060", "08-01", [`${D1}/1`]),
      submitted("DAR-2026-00061", "08-01", [`${D1}/1`]),
      denied("DAR-2026-00061", "08-02", [`${D1}/1`]),
      approved("DAR-2026-00061", "08-03", [`${D1}/1`]),
      revoked("DAR-2026-00061", "08-04", `${D1}/1`),
      { index: next++, document: { kind: "access.approved", time: at("08-05"), actor: { type: "anonymous" as const }, subject: { type: "trial", id: "TLR-2026-00001" }, details: {} } },
      { index: next++, document: { kind: "access.denied", time: at("08-05"), actor: { type: "anonymous" as const }, subject: { type: "access-request", id: "DAR-2026-00062" }, details: { releases: ["nope"] } } },
    ];
    const register = buildRegister(entries, NOW);
    expect(register.anomalies.map((a) => [a.logIndex, a.reason])).toEqual([
      [entries[0]?.index, "an event of a request never submitted"],
      [entries[3]?.index, "a decision on a request that is denied"],
      [entries[4]?.index, "a revocation of a grant of a request that is not approved"],
      [entries[5]?.index, "its subject is not an access request (DAR-YYYY-NNNNN)"],
      [entries[6]?.index, "its details are not those the kind declares"],
    ]);
    expect(register.approved).toEqual([]);
    expect(register.metrics.byState.denied).toBe(1);
  });

  it("marks the approved period against now, and keeps the conditions", () => {
    const entries = [
      submitted("DAR-2026-00070", "09-01", [`${D1}/1`]),
      approved("DAR-2026-00070", "09-02", [`${D1}/1`], { start: "2027-04-01T00:00:00.000Z", end: "2028-04-01T00:00:00.000Z", withConditions: "No linkage." }),
    ];
    expect(buildRegister(entries, NOW).approved[0]).toMatchObject({ period: "not-started", withConditions: "No linkage." });
    expect(registerDiseaseIds(entries)).toEqual(["MONDO:0005105"]);
  });

  it("says nothing at all for an empty log", () => {
    const register = buildRegister([], NOW);
    expect(register).toMatchObject({ approved: [], revocations: [], denied: [], anomalies: [], metrics: { submitted: 0, decided: 0, medianDaysToDecision: null, approvalRate: null } });
  });
});

describe("datasetOfRelease", () => {
  it("drops the release number", () => {
    expect(datasetOfRelease("TLR-2026-00001.D12/3")).toBe("TLR-2026-00001.D12");
  });
});
