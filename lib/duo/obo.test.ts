import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type OboTerm, readObo } from "@/lib/duo/obo";

const SAMPLE = [
  "format-version: 1.2",
  "data-version: mondo/releases/2024-01-03 ! the January release",
  "ontology: mondo",
  "",
  "[Term]",
  "id: MONDO:0000001",
  "name: disease or disorder",
  "",
  "[Term]",
  "id: MONDO:0005105",
  "name: melanoma",
  'synonym: "malignant melanoma" EXACT [NCIT:C3224]',
  'synonym: "naevocarcinoma \\"old\\"" RELATED []',
  "is_a: MONDO:0000001 ! disease or disorder",
  "is_a: MONDO:0000001 {source=\"DOID:1909\"} ! listed twice",
  "is_a: NCBITaxon:9606 ! not a disease",
  "relationship: disease_has_location UBERON:0002097 ! skin of body",
  "",
  "[Typedef]",
  "id: disease_has_location",
  "name: disease has location",
  "is_a: MONDO:0000001",
  "",
  "[Term]",
  "id: NCBITaxon:9606",
  "name: Homo sapiens",
  "",
  "[Term]",
  "id: MONDO:0000002",
  "name: obsolete thing",
  "is_obsolete: true",
].join("\r\n");

async function all(terms: AsyncIterable<OboTerm>): Promise<OboTerm[]> {
  const out: OboTerm[] = [];
  for await (const t of terms) out.push(t);
  return out;
}

describe("readObo", () => {
  it("reads the header, Mondo terms with synonyms, is_a parents and obsolete flags, and skips the rest", async () => {
    const { header, terms } = await readObo(Readable.from([SAMPLE]));
    expect(header).toEqual({ dataVersion: "mondo/releases/2024-01-03", ontology: "mondo" });
    expect(await all(terms)).toEqual([
      { id: "MONDO:0000001", label: "disease or disorder", synonyms: [], parents: [], obsolete: false },
      { id: "MONDO:0005105", label: "melanoma", synonyms: ["malignant melanoma", 'naevocarcinoma "old"'], parents: ["MONDO:0000001"], obsolete: false },
      { id: "MONDO:0000002", label: "obsolete thing", synonyms: [], parents: [], obsolete: true },
    ]);
  });

  it("reads input cut anywhere, even inside a line, as the same terms", async () => {
    const bytes = Buffer.from(SAMPLE);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const { header, terms } = await readObo(
      (async function* () {
        yield* chunks;
      })(),
    );
    expect(header.dataVersion).toBe("mondo/releases/2024-01-03");
    expect((await all(terms)).map((t) => t.id)).toEqual(["MONDO:0000001", "MONDO:0005105", "MONDO:0000002"]);
  });

  it("gives no version for a file without one, and no terms for a header alone", async () => {
    const { header, terms } = await readObo(Readable.from(["format-version: 1.2\n"]));
    expect(header.dataVersion).toBeUndefined();
    expect(await all(terms)).toEqual([]);
  });
});
