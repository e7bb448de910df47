/**
 * Writing CSV (RFC 4180), shared by every export the portal makes. Isomorphic: no Node APIs.
 *
 * - Fields holding a comma, a quote, CR or LF are quoted, quotes doubled; rows end in CRLF.
 * - A text field that a spreadsheet would run as a formula (it starts with =, +, -, @, tab or CR:
 *   OWASP "CSV injection") is prefixed with an apostrophe. An audit export is opened by people in
 *   Excel or LibreOffice, and a name or file name in it is chosen by whoever made the event: a
 *   `=HYPERLINK(…)` there must stay text. Numbers are written as they are, so a negative count
 *   keeps its sign.
 */

export type CsvValue = string | number | bigint | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
// A formula start (=, +, -, @, tab, CR), or apostrophes before one: a value that already starts with
// an apostrophe gets one more, so that `csvUnguard` takes exactly one off and reads it back as written.
const GUARDED = /^'*[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = GUARDED.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/**
 * A CSV document as a byte stream: the header, then the rows as `rows` yields them, pulled only as
 * fast as the reader takes them, so an export of a million rows holds one batch in memory, not the
 * file. A failure while reading rows errors the stream (the download ends incomplete rather than
 * looking whole).
 */
export function csvStream(header: readonly string[], rows: AsyncIterable<readonly CsvValue[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRow(header)));
        return;
      }
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csvRow(next.value)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * The inverse of the formula guard of `csvField`, for CSV files the portal reads back (a data
 * dictionary it exported): one leading apostrophe before a formula character is removed.
 */
export function csvUnguard(field: string): string {
  return field.startsWith("'") && GUARDED.test(field.slice(1)) ? field.slice(1) : field;
}
