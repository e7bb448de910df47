import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalize, recordDigest } from "@/lib/canonical-json";

/** The IEEE 754 double with the given 64-bit pattern, as RFC 8785 Appendix B lists them. */
function double(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

describe("canonicalize", () => {
  it("gives the output of RFC 8785 §3.2.2's example", () => {
    const input =
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      ' "literals": [null, true, false]}';
    expect(canonicalize(JSON.parse(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts member names by UTF-16 code units, as in RFC 8785 §3.2.3", () => {
    const input = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    // The emoji's high surrogate (U+D83D) sorts before U+FB33, although its code point is higher.
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it("serializes numbers as RFC 8785 Appendix B lists", () => {
    const table: [string, string][] = [
      ["0000000000000000", "0"],
      ["8000000000000000", "0"],
      ["0000000000000001", "5e-324"],
      ["8000000000000001", "-5e-324"],
      ["7fefffffffffffff", "1.7976931348623157e+308"],
      ["ffefffffffffffff", "-1.7976931348623157e+308"],
      ["4340000000000000", "9007199254740992"],
      ["c340000000000000", "-9007199254740992"],
      ["4430000000000000", "295147905179352830000"],
      ["44b52d02c7e14af5", "9.999999999999997e+22"],
      ["44b52d02c7e14af6", "1e+23"],
      ["44b52d02c7e14af7", "1.0000000000000001e+23"],
      ["444b1ae4d6e2ef4e", "999999999999999700000"],
      ["444b1ae4d6e2ef4f", "999999999999999900000"],
      ["444b1ae4d6e2ef50", "1e+21"],
      ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
      ["3eb0c6f7a0b5ed8d", "0.000001"],
      ["41b3de4355555553", "333333333.3333332"],
      ["41b3de4355555554", "333333333.33333325"],
      ["41b3de4355555555", "333333333.3333333"],
      ["41b3de4355555556", "333333333.3333334"],
      ["41b3de4355555557", "333333333.33333343"],
      ["becbf647612f3696", "-0.0000033333333333333333"],
      ["43143ff3c1cb0959", "1424953923781206.2"],
    ];
    for (const [bits, expected] of table) expect(canonicalize(double(bits)), bits).toBe(expected);
    expect(canonicalize(1e21)).toBe("1e+21");
    expect(canonicalize(0.000001)).toBe("0.000001");
    expect(canonicalize(1e-7)).toBe("1e-7");
    expect(canonicalize(-0)).toBe("0");
  });

  it("refuses NaN and Infinity, naming where they are", () => {
    expect(() => canonicalize(NaN)).toThrow(CanonicalJsonError);
    expect(() => canonicalize({ a: [1, Infinity] })).toThrow("Cannot canonicalize $.a[1]: Infinity is not a JSON number.");
    expect(() => canonicalize({ "x y": -Infinity })).toThrow('$["x y"]');
  });

  it("writes strings as JSON.stringify does: short escapes, lowercase \\u00xx, everything else as is", () => {
    expect(canonicalize("\b\t\n\f\r\u0000\u001f\u007f\u2028\"\\/é")).toBe('"\\b\\t\\n\\f\\r\\u0000\\u001f\u007f\u2028\\"\\\\/é"');
  });

  it("leaves out undefined members and keeps arrays in order, at any depth", () => {
    expect(canonicalize({ b: [3, 1, { z: 1, a: undefined, m: null }], a: "x", c: undefined })).toBe(
      '{"a":"x","b":[3,1,{"m":null,"z":1}]}',
    );
    expect(canonicalize({})).toBe("{}");
    expect(canonicalize([])).toBe("[]");
    expect(canonicalize(Object.assign(Object.create(null) as object, { b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
  });

  it("refuses values JSON cannot carry exactly, naming the path", () => {
    const cases: [unknown, string][] = [
      [{ when: new Date(0) }, "$.when: a Date"],
      [{ m: new Map() }, "$.m: a Map"],
      [{ s: [new Set()] }, "$.s[0]: a Set"],
      [{ n: 1n }, "$.n: a BigInt"],
      [{ f: () => 1 }, "$.f: a function"],
      [{ y: Symbol("y") }, "$.y: a symbol"],
      [[1, undefined], "$[1]: undefined"],
      [undefined, "$: undefined"],
      [{ t: "\ud800" }, "$.t: the string contains a lone UTF-16 surrogate"],
      [{ "\udc00": 1 }, "lone UTF-16 surrogate"],
      [{ c: new (class Custom {})() }, "$.c: a Custom is not a plain object"],
    ];
    for (const [value, message] of cases) expect(() => canonicalize(value)).toThrow(message);
    // Sparse arrays: a hole is undefined, which JSON.stringify would silently turn into null.
    expect(() => canonicalize(new Array(2))).toThrow("$[0]");
  });

  it("refuses cycles but accepts a value shared by two members", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expect(() => canonicalize(loop)).toThrow("$.self.back: the value contains itself");
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it("is idempotent", () => {
    const values: unknown[] = [
      { "\u20ac": 1, "\r": [0.1, 1e300, -5e-324], z: { y: { x: "\u0007" } }, a: [true, null, "é"] },
      [[], {}, "", 0],
      "plain",
    ];
    for (const value of values) {
      const once = canonicalize(value);
      expect(canonicalize(JSON.parse(once))).toBe(once);
    }
  });
});

describe("recordDigest", () => {
  it("is the 0x-hex SHA-256 of the UTF-8 canonical form", () => {
    expect(recordDigest({})).toBe("0x44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    // "€" is three bytes in UTF-8 (E2 82 AC), not two UTF-16 code units.
    const bytes = Uint8Array.from([0x22, 0xe2, 0x82, 0xac, 0x22]);
    expect(recordDigest("€")).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
    expect(recordDigest({ a: 1 })).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("does not change when members are reordered, and changes with any value", () => {
    const record = { title: "BP trial", countries: ["GB", "DE"], outcomes: [{ id: "bp-12w", weeks: 12 }], size: 300 };
    const reordered = { size: 300, outcomes: [{ weeks: 12, id: "bp-12w" }], countries: ["GB", "DE"], title: "BP trial" };
    expect(recordDigest(reordered)).toBe(recordDigest(record));

    const changed: unknown[] = [
      { ...record, title: "BP trial " },
      { ...record, countries: ["DE", "GB"] },
      { ...record, outcomes: [{ id: "bp-12w", weeks: 24 }] },
      { ...record, size: 301 },
      { ...record, size: "300" },
      { ...record, extra: null },
    ];
    for (const value of changed) expect(recordDigest(value)).not.toBe(recordDigest(record));
  });
});
