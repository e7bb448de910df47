import { sha256 } from "@noble/hashes/sha256";
import { toHex } from "@/lib/merkle/hex";

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so that a trial
 * record's SHA-256 depends on what it says, not on how a program happened to order or space it.
 * Any JCS implementation (Go, Java, Python, …) gives the same bytes, which is what lets a verifier
 * recompute an anchored record digest without TrialLedger's code.
 *
 * JCS defines the serialization by reference to ECMAScript, so JSON.stringify and Number's
 * toString are the specification here, not an approximation of it; what this file adds is the
 * key order and the refusal of everything JSON cannot carry faithfully.
 *
 * Isomorphic (no Node built-ins): the browser verifier reads dataset manifests with it too.
 */

/** A value `canonicalize` cannot serialize; `path` points at it, like `$.countries[2]`. */
export class CanonicalJsonError extends TypeError {
  override name = "CanonicalJsonError";
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`Cannot canonicalize ${path}: ${problem}`);
    this.path = path;
  }
}

/**
 * The JCS form of `value`: members sorted by the UTF-16 code units of their names, no whitespace,
 * strings and numbers as ECMAScript's JSON.stringify writes them (so -0 becomes "0", 1e21 "1e+21").
 * Object members whose value is `undefined` are left out, as JSON.stringify does.
 *
 * @throws CanonicalJsonError naming the path of the first value that has no exact JSON form:
 *   NaN and ±Infinity, BigInt, functions, symbols, `undefined` as an array element or as the whole
 *   value, strings with lone surrogates, cycles, and any object that is not a plain object or an
 *   array (Date, Map, Set, class instances — convert them first, e.g. a Date to its ISO string).
 */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, "$", out, new Set());
  return out.join("");
}

/**
 * The record digest that is anchored on chain: SHA-256 of the UTF-8 bytes of the canonical form,
 * as "0x" and 64 lowercase hex digits — the spelling receipts use, so digests compare as text.
 *
 * @throws CanonicalJsonError as `canonicalize` does.
 */
export function recordDigest(value: unknown): string {
  return toHex(sha256(new TextEncoder().encode(canonicalize(value))));
}

/**
 * Code-unit order, which is what JCS §3.2.3 asks for. Spelled out rather than relying on
 * Array.prototype.sort's default, which happens to agree but reads like an oversight.
 * `localeCompare` would be wrong: it orders by language rules that differ between runtimes.
 */
function byCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function write(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case "string":
      // A lone surrogate has no UTF-8 encoding: Node would hash it as U+FFFD, so two different
      // strings would share a digest. I-JSON (RFC 7493), which JCS requires, forbids them.
      if (!value.isWellFormed()) throw new CanonicalJsonError(path, "the string contains a lone UTF-16 surrogate.");
      out.push(JSON.stringify(value));
      return;
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a JSON number.`);
      // ECMAScript Number::toString, which JCS §3.2.2.3 adopts; String(-0) is "0".
      out.push(String(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "undefined":
      // JSON.stringify would write null in an array and nothing at the top: either would make
      // the digest cover a value the caller never had.
      throw new CanonicalJsonError(path, "undefined has no JSON form.");
    case "bigint":
      throw new CanonicalJsonError(path, "a BigInt has no JSON form; store it as a string.");
    case "function":
    case "symbol":
      throw new CanonicalJsonError(path, `a ${typeof value} has no JSON form.`);
    case "object":
      break;
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (ancestors.has(value)) throw new CanonicalJsonError(path, "the value contains itself (a cycle).");

  if (Array.isArray(value)) {
    ancestors.add(value);
    out.push("[");
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out.push(",");
      write((value as unknown[])[index], `${path}[${index}]`, out, ancestors);
    }
    out.push("]");
    ancestors.delete(value);
    return;
  }

  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new CanonicalJsonError(path, `${describe(value)} is not a plain object; convert it to JSON data first.`);
  }
  ancestors.add(value);
  const record = value as Record<string, unknown>;
  out.push("{");
  let first = true;
  for (const key of Object.keys(record).sort(byCodeUnits)) {
    const member = record[key];
    if (member === undefined) continue;
    const memberPath = `${path}${propertyPath(key)}`;
    if (!key.isWellFormed()) throw new CanonicalJsonError(memberPath, "the member name contains a lone UTF-16 surrogate.");
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(key), ":");
    write(member, memberPath, out, ancestors);
  }
  out.push("}");
  ancestors.delete(value);
}

function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(value: object): string {
  if (value instanceof Date) return "a Date (use its ISO string)";
  if (value instanceof Map) return "a Map (use an object)";
  if (value instanceof Set) return "a Set (use an array)";
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "the value";
}
