// The register's parts rendered to HTML on the server, as /access first sends them: each approval
// links to its log entry and receipt, the metrics are in words, and a purpose the portal cannot read
// is shown as recorded rather than dropped.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApprovedList, DeniedTable, MetricsView, RevocationList } from "@/app/(public)/access/parts";
import type { ApprovedRequest } from "@/lib/access/register";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");

const approval: ApprovedRequest = {
  request: "DAR-2026-00001",
  researcher: { id: "u1", name: "Ada Lovelace" },
  institution: { name: "Analytical Institute", notForProfit: true },
  title: "Melanoma recurrence",
  laySummary: "Why melanomas come back.",
  releases: ["TLR-2026-00001.D1/2"],
  purpose: { category: { code: "DS", id: "DUO:0000007", label: "Disease-specific research" }, diseases: [{ id: "MONDO:0005105", label: "melanoma" }], flags: [], text: "Disease-specific research: melanoma (MONDO:0005105)" },
  recordedPurpose: {},
  withConditions: null,
  approvedAt: "2026-01-11T09:00:00.000Z",
  start: "2026-02-01T00:00:00.000Z",
  end: "2027-02-01T00:00:00.000Z",
  period: "active",
  analysisPlanDigest: `0x${"ab".repeat(32)}`,
  decidedVia: "manual",
  logIndex: 42,
  revocations: 1,
};

describe("the access register's parts", () => {
  it("lists an approval with its facts, release link and log entry", () => {
    const html = renderToStaticMarkup(createElement(ApprovedList, { approved: [approval] }));
    expect(html).toContain('href="/transparency?index=42#entries-heading"');
    expect(html).toContain('href="/api/log/entries/42"');
    expect(html).toContain('href="/datasets/TLR-2026-00001.D1?release=2"');
    expect(text(html)).toContain("Analytical Institute (not for profit)");
    expect(text(html)).toContain("1 Feb 2026 to 1 Feb 2027 (active); 1 grant revoked");
    expect(text(html)).toContain("Disease-specific research: melanoma (MONDO:0005105)");
  });

  it("shows a purpose it cannot read as recorded", () => {
    const html = renderToStaticMarkup(createElement(ApprovedList, { approved: [{ ...approval, purpose: null, recordedPurpose: { category: "XYZ" } }] }));
    expect(html).toContain("{&quot;category&quot;:&quot;XYZ&quot;}");
  });

  it("says the metrics in words", () => {
    const metrics = { submitted: 5, byState: { submitted: 1, "in-review": 1, returned: 0, approved: 2, denied: 1, withdrawn: 0 }, decided: 3, medianDaysToDecision: 4.5, approvalRate: 2 / 3 };
    const html = text(renderToStaticMarkup(createElement(MetricsView, { metrics })));
    expect(html).toContain("Median time to a decision 4.5 days");
    expect(html).toContain("Approval rate 67 % of 3 decided");
    expect(html).toContain("In review 1");
    const none = text(renderToStaticMarkup(createElement(MetricsView, { metrics: { ...metrics, decided: 0, medianDaysToDecision: null, approvalRate: null } })));
    expect(none).toContain("Approval rate no decision yet");
  });

  it("lists revocations and denied counts", () => {
    const revoked = text(renderToStaticMarkup(createElement(RevocationList, { revocations: [{ request: "DAR-2026-00001", release: "TLR-2026-00001.D1/2", grant: "g", at: "2026-06-01T00:00:00.000Z", logIndex: 50 }] })));
    expect(revoked).toMatch(/1 Jun 2026\s*: request\s+DAR-2026-00001\s*, release\s+TLR-2026-00001\.D1\/2\s*\(\s*entry #50\s*\)/);
    const denied = text(renderToStaticMarkup(createElement(DeniedTable, { denied: [{ dataset: "TLR-2026-00001.D1", requests: 3 }] })));
    expect(denied).toContain("TLR-2026-00001.D1 3");
  });
});
