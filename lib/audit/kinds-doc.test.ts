import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kindsTable, withKindsTable } from "@/lib/audit/kinds-doc";
import { LOG_KINDS } from "@/lib/log/kinds";

const DOC = path.resolve(import.meta.dirname, "../../docs/transparency-log.md");

describe("docs/transparency-log.md", () => {
  it("lists every entry kind with exactly the public and private fields lib/log/kinds.ts declares", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    const expected = withKindsTable(doc);
    if (process.env.UPDATE_DOCS === "1" && expected !== doc) fs.writeFileSync(DOC, expected);
    expect(doc, "run UPDATE_DOCS=1 npx vitest run --project unit lib/audit/kinds-doc.test.ts").toBe(expected);
  });

  it("gives each kind one row, naming its fields and their types", () => {
    const table = kindsTable();
    expect(table.split("\n")).toHaveLength(2 + Object.keys(LOG_KINDS).length);
    expect(table).toContain("| `auth.sign-in-failed` | Sign-in failed | `method: \"password\" or \"email-link\"` | `email: string`<br>`reason: string`<br>`userId?: string`<br>`clientAddress?: string` |");
    expect(table).toContain("`digest: SHA-256, 0x hex`");
    expect(table).toContain("`txHash: transaction hash, 0x hex`");
    expect(table).toContain("`signature: { meaning: string, method: \"password-reauthentication\" }`");
  });
});
