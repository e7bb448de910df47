import { describe, expect, it } from "vitest";
import { describeManifest, describeSubject } from "@/lib/verify/subject";

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
