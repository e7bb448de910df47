import { describe, expect, it } from "vitest";
import { csvField, csvRow, csvStream, csvUnguard } from "@/lib/csv";

describe("csv", () => {
  it("quotes fields with commas, quotes and line breaks (RFC 4180), and leaves plain ones alone", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvRow(["a", 1, 12n, true, null])).toBe("a,1,12,true,\r\n");
  });

  it("keeps text a spreadsheet would run as a formula as text, and numbers as numbers", () => {
    for (const text of ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"]) expect(csvField(text).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField(-2)).toBe("-2");
  });

  it("reads back every guarded value exactly as it was, apostrophes included", () => {
    for (const text of ["=1+1", "-9", "'-9", "''@x", "'plain", "plain", "", "'"]) {
      const field = csvField(text);
      expect(csvUnguard(field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field)).toBe(text);
    }
    expect(csvField("'-9")).toBe("''-9");
  });

  it("streams the header then each row as it is pulled", async () => {
    let pulled = 0;
    async function* rows() {
      for (let i = 0; i < 3; i++) {
        pulled++;
        yield [i, `row ${i}`];
      }
    }
    const reader = csvStream(["n", "label"], rows()).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("n,label\r\n");
    expect(pulled).toBe(0);
    const chunks: string[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(new TextDecoder().decode(next.value));
    expect(chunks).toEqual(["0,row 0\r\n", "1,row 1\r\n", "2,row 2\r\n"]);
  });
});
