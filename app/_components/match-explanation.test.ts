// The match explanation rendered to HTML on the server, and its pure helpers: every verdict said in
// words (the symbol and colour only repeat it), the overall sentence with its counts.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MatchExplanation, matchSummary, verdictLook } from "@/app/_components/match-explanation";
import type { MatchResult, Verdict } from "@/lib/duo/match";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/\s+/g, " ");

const result: MatchResult = {
  verdict: "not-met",
  conditions: [
    { code: "DS", id: "DUO:0000007", verdict: "met", reason: "DS(MONDO:0005105 melanoma) — your purpose, cutaneous melanoma (MONDO:0005012), is a kind of melanoma: met" },
    { code: "NCU", id: "DUO:0000046", verdict: "not-met", reason: "NCU (non-commercial use only) — the data may not be used commercially, and your purpose is commercial research: not met" },
    { code: "IRB", id: "DUO:0000021", verdict: "committee", reason: "IRB (ethics approval required) — your approval is uploaded; the committee reads it: for the committee to judge" },
    { code: "PUB", id: "DUO:0000019", verdict: "acknowledge", reason: "PUB (publication required) — you agree to publish: to acknowledge" },
  ],
};

describe("verdictLook", () => {
  it("gives each verdict its own word, symbol and colour", () => {
    const verdicts: Verdict[] = ["met", "not-met", "committee", "acknowledge"];
    const looks = verdicts.map(verdictLook);
    expect(looks.map((l) => l.word)).toEqual(["Met", "Not met", "For the committee", "To acknowledge"]);
    expect(new Set(looks.map((l) => l.symbol)).size).toBe(4);
    expect(new Set(looks.map((l) => l.tone.split(" ")[0])).size).toBe(4);
  });
});

describe("matchSummary", () => {
  it("says the overall verdict with the counts that make it", () => {
    expect(matchSummary(result)).toBe("Not met: 1 condition is not met, so the request cannot be approved as it stands.");
    const committee: MatchResult = { verdict: "committee", conditions: result.conditions.filter((c) => c.verdict !== "not-met") };
    expect(matchSummary(committee)).toBe("For the committee: 1 condition needs the committee's judgment; 1 obligation to acknowledge.");
    const met: MatchResult = { verdict: "met", conditions: result.conditions.filter((c) => c.verdict === "met" || c.verdict === "acknowledge") };
    expect(matchSummary(met)).toBe("Met: every condition is met; 1 obligation to acknowledge.");
    expect(matchSummary({ verdict: "met", conditions: [] })).toBe("Met: no condition applies.");
  });
});

describe("MatchExplanation", () => {
  it("renders a titled section, the overall sentence, and a list with each verdict in words beside its reason", () => {
    const html = renderToStaticMarkup(createElement(MatchExplanation, { result, title: "Release 1 of the melanoma dataset", level: 2, live: true }));
    expect(html).toMatch(/<section aria-labelledby="([^"]+)-title"[^>]*data-verdict="not-met"/);
    expect(html).toMatch(/<h2 id="[^"]+-title"[^>]*>Release 1 of the melanoma dataset<\/h2>/);
    expect(html).toContain('role="status"');
    expect(html.match(/<li /g)).toHaveLength(4);
    const words = text(html);
    expect(words).toContain("Not met: 1 condition is not met");
    expect(words).toMatch(/Met DS\(MONDO:0005105 melanoma\) — .* DUO:0000007/);
    expect(words).toMatch(/Not met NCU \(non-commercial use only\)/);
    expect(words).toMatch(/For the committee IRB/);
    expect(words).toMatch(/To acknowledge PUB/);
    // symbols are decoration: screen readers read the words
    expect(html).toContain('<span aria-hidden="true">✗</span>');
  });

  it("is not a live region unless asked, and lists nothing for an empty result", () => {
    const html = renderToStaticMarkup(createElement(MatchExplanation, { result: { verdict: "met", conditions: [] }, title: "Consent item 3, granted" }));
    expect(html).not.toContain("role=");
    expect(html).not.toContain("<ul");
    expect(html).toContain("<h3");
  });
});
