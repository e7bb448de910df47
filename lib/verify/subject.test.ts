import { describe, expect, it } from "vitest";
import { describeManifest, describeSubject, parseReleaseName, verifiedSummary } from "@/lib/verify/subject";

describe("describeSubject", () => {
  it("names dataset releases and their files from the names the portal gives them", () => {
    expect(describeSubject({ kind: "dataset-manifest", id: "cm1", name: "TLR-2026-00001.D1 release 1" })).toBe("release 1 of TLR-2026-00001.D1");
    expect(describeSubject({ kind: "dataset-file", id: "cm2", name: "TLR-2026-00001.D1 release 12 — visits — site A.csv" })).toBe(
      "the file “visits — site A.csv” of release 12 of TLR-2026-00001.D1",
    );
    // A name of another shape is shown as it is.
    expect(describeSubject({ kind: "dataset-file", name: "visits.csv" })).toBe("the dataset file “visits.csv”");
    expect(describeSubject({ kind: "dataset-manifest" })).toBe("a dataset release");
  });

  it("names the version 1 kinds, a kind it does not know, and no subject", () => {
    expect(describeSubject({ kind: "trial-record", id: "TLR-2026-00042", name: "version 2" })).toBe("version 2 of TLR-2026-00042's registration record");
    expect(describeSubject({ kind: "file", id: "TLR-2026-00042", name: "protocol.pdf" })).toBe("the file “protocol.pdf” of TLR-2026-00042");
    expect(describeSubject({ kind: "analysis-plan", name: "plan.pdf" })).toBe("the analysis plan “plan.pdf”");
    expect(describeSubject({ kind: "audit-tree-head" })).toBe("a tree head of the audit log");
    expect(describeSubject({ kind: "export-bundle", id: "x1", name: "grant 7" })).toBe("an item of kind export-bundle, “grant 7” (x1)");
    expect(describeSubject(undefined)).toBeNull();
  });

  it("names a manifest from its own content", () => {
    expect(describeManifest({ dataset: { number: "TLR-2026-00001.D1", title: "t" }, release: 3 })).toBe("release 3 of TLR-2026-00001.D1");
  });
});

describe("verifiedSummary", () => {
  const when = "2026-12-02 12:55:01 UTC";
  const manifestSubject = { kind: "dataset-manifest", id: "cm1", name: "TLR-2026-00001.D1 release 1" };
  const fileSubject = { kind: "dataset-file", id: "cm2", name: "TLR-2026-00001.D1 release 1 — visits.csv" };

  it("says what a dataset manifest is from its own content, and a dataset file from its label", () => {
    const manifest = { dataset: { number: "TLR-2026-00001.D1", title: "Visits" }, release: 1 };
    expect(verifiedSummary({ receipt: { subject: manifestSubject }, when, hadFile: true, manifest })).toBe(
      "This manifest is release 1 of TLR-2026-00001.D1 (“Visits”), anchored on 2026-12-02 12:55:01 UTC.",
    );
    expect(verifiedSummary({ receipt: { subject: fileSubject }, when, hadFile: true })).toBe(
      "This file is “visits.csv” of release 1 of TLR-2026-00001.D1 (as its receipt labels it), anchored on 2026-12-02 12:55:01 UTC.",
    );
    expect(verifiedSummary({ receipt: { subject: fileSubject }, when, hadFile: false })).toMatch(/^This receipt is for “visits\.csv” of release 1/);
    expect(verifiedSummary({ receipt: { subject: manifestSubject }, when, hadFile: false })).toBe(
      "This receipt is for the manifest of release 1 of TLR-2026-00001.D1 (its label), anchored on 2026-12-02 12:55:01 UTC.",
    );
  });

  it("keeps the wording for trial records and files, with or without a subject", () => {
    expect(verifiedSummary({ receipt: { subject: { kind: "file", name: "p.pdf" } }, when, hadFile: true })).toBe(`This file existed no later than ${when}.`);
    expect(verifiedSummary({ receipt: {}, when, hadFile: false })).toBe(`This receipt's item existed no later than ${when}.`);
  });

  it("takes a subject name apart only in the portal's shape", () => {
    expect(parseReleaseName("TLR-2026-00001.D2 release 3 — a.csv")).toEqual({ dataset: "TLR-2026-00001.D2", release: 3, file: "a.csv" });
    expect(parseReleaseName("TLR-2026-00001.D2 release 3")).toEqual({ dataset: "TLR-2026-00001.D2", release: 3 });
    expect(parseReleaseName("release 3")).toBeNull();
    expect(parseReleaseName(undefined)).toBeNull();
  });
});
