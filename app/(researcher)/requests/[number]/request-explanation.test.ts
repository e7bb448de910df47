// The request's explanation rendered as the submitted page sends it: each release's conditions with
// their reasons, and each consent item on both sides.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RequestExplanation, type RequestExplanationData } from "@/app/(researcher)/requests/[number]/request-explanation";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/\s+/g, " ");

const explanation: RequestExplanationData = {
  verdict: "not-met",
  releases: [
    {
      ref: "TLR-2026-00001.D1/1",
      title: "Blood pressure",
      verdict: "not-met",
      conditions: {
        verdict: "not-met",
        conditions: [
          { code: "DS", id: "DUO:0000007", verdict: "met", reason: "DS(MONDO:0005105 melanoma) — your purpose, cutaneous melanoma (MONDO:0005012), is a kind of melanoma: met" },
          { code: "NCU", id: "DUO:0000046", verdict: "not-met", reason: "NCU (non-commercial use only) — your research is commercial: not met" },
        ],
      },
      consent: [
        {
          number: 2,
          text: "My data may be used for research on my condition",
          granted: { verdict: "met", conditions: [] },
          withheld: { verdict: "not-met", conditions: [{ code: "DS", id: "DUO:0000007", verdict: "not-met", reason: "withheld — not met" }] },
        },
      ],
      consentVersion: 3,
    },
  ],
};

describe("RequestExplanation", () => {
  it("says the overall verdict, each release's conditions with their reasons, and each consent item granted and withheld", () => {
    const html = renderToStaticMarkup(createElement(RequestExplanation, { explanation }));
    const words = text(html);
    expect(html).toContain('data-verdict="not-met"');
    expect(words).toContain("A condition is not met");
    expect(words).toContain("Conditions of use of Blood pressure (TLR-2026-00001.D1/1)");
    expect(words).toContain("NCU (non-commercial use only) — your research is commercial: not met");
    expect(words).toContain("is a kind of melanoma: met");
    expect(words).toContain("The participants' consent (version 3): 1 item");
    expect(words).toContain("Item 2, “My data may be used for research on my condition”: rows of participants who granted it");
    expect(words).toContain("Item 2: rows of participants who withheld it");
  });
});
