import { Readable } from "node:stream";
import { createInterface } from "node:readline";

/**
 * A streaming reader of OBO 1.4 flat files (the format Mondo publishes as mondo.obo), line by line
 * through readline, so a release file (mondo.obo is about 50 MB) is never held in memory whole.
 * It keeps what the portal stores of a disease: id, name, synonyms, direct is_a parents and the
 * obsolete flag. Other stanza kinds ([Typedef], [Instance]) and terms outside Mondo (the imports
 * of other ontologies that mondo.obo carries, e.g. NCBITaxon) are skipped.
 */

export type OboTerm = {
  id: string;
  label: string;
  synonyms: string[];
  /** Direct is_a parents, Mondo ids only. */
  parents: string[];
  obsolete: boolean;
};

export type OboHeader = {
  /** `data-version:`, e.g. "mondo/releases/2022-09-06"; undefined when the file has none. */
  dataVersion: string | undefined;
  /** `ontology:`, e.g. "mondo". */
  ontology: string | undefined;
};

export type OboFile = { header: OboHeader; terms: AsyncIterable<OboTerm> };

const KEEP = /^MONDO:\d{7}$/;

/** `value ! comment` → value; a `\!` is an escaped "!", not a comment. */
function stripComment(value: string): string {
  const match = /(^|[^\\])!/.exec(value);
  return (match ? value.slice(0, match.index + (match[1] ?? "").length) : value).trim();
}

/** The quoted text at the start of a synonym value: `"heart attack" EXACT []` → heart attack. */
function quoted(value: string): string | undefined {
  const match = /^"((?:[^"\\]|\\.)*)"/.exec(value.trim());
  return match?.[1]?.replace(/\\(.)/g, "$1");
}

/** "key: value" → [key, value]; a line without a colon (none in valid OBO) gives undefined. */
function tagOf(line: string): [string, string] | undefined {
  const colon = line.indexOf(":");
  if (colon <= 0) return undefined;
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

type Draft = { id?: string; label?: string; synonyms: string[]; parents: string[]; obsolete: boolean };

function finished(draft: Draft | null): OboTerm | undefined {
  if (!draft?.id || !KEEP.test(draft.id)) return undefined;
  return { id: draft.id, label: draft.label ?? draft.id, synonyms: draft.synonyms, parents: draft.parents, obsolete: draft.obsolete };
}

/**
 * Reads the header (everything before the first stanza) and returns it with an iterator over the
 * terms, which reads the rest of the input as it is consumed. The terms can be iterated once.
 */
export async function readObo(input: Readable | AsyncIterable<string | Uint8Array>): Promise<OboFile> {
  const stream = input instanceof Readable ? input : Readable.from(input);
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const header: OboHeader = { dataVersion: undefined, ontology: undefined };
  let firstStanza: string | undefined;
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    const line = next.value.trim();
    if (line.startsWith("[")) {
      firstStanza = line;
      break;
    }
    const tag = tagOf(line);
    if (tag?.[0] === "data-version") header.dataVersion = stripComment(tag[1]);
    else if (tag?.[0] === "ontology") header.ontology = stripComment(tag[1]);
  }

  async function* terms(): AsyncGenerator<OboTerm> {
    let draft: Draft | null = firstStanza === "[Term]" ? { synonyms: [], parents: [], obsolete: false } : null;
    if (firstStanza === undefined) return;
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      const line = next.value.trim();
      if (line === "" || line.startsWith("!")) continue;
      if (line.startsWith("[")) {
        const term = finished(draft);
        if (term) yield term;
        draft = line === "[Term]" ? { synonyms: [], parents: [], obsolete: false } : null;
        continue;
      }
      if (!draft) continue; // inside a [Typedef] or [Instance]
      const tag = tagOf(line);
      if (!tag) continue;
      const [key, value] = tag;
      if (key === "id") draft.id = stripComment(value);
      else if (key === "name") draft.label = value;
      else if (key === "synonym") {
        const text = quoted(value);
        if (text) draft.synonyms.push(text);
      } else if (key === "is_a") {
        // "MONDO:0005105 {source=…} ! melanoma": the id is the first word.
        const parent = stripComment(value).split(/\s/)[0] ?? "";
        if (KEEP.test(parent) && !draft.parents.includes(parent)) draft.parents.push(parent);
      } else if (key === "is_obsolete") draft.obsolete = stripComment(value) === "true";
    }
    const last = finished(draft);
    if (last) yield last;
  }

  return { header, terms: terms() };
}
