import type { ProblemKind, ValidationReport as Report } from "@/lib/datasets/report";

/**
 * A file's validation report, for the sponsor: the verdict in words first ("412 rows, 2 errors"),
 * then what stopped the reading, the header's problems, a table of counts per column and problem,
 * the first rows of each kind, and the unknown pseudonyms. The status is said in text and marked
 * with a symbol as well as a colour, so nothing depends on seeing colour.
 */

const KIND_WORDS: Record<ProblemKind, string> = {
  missing: "Missing value",
  type: "Wrong type",
  code: "Not an allowed code",
  "unknown-pseudonym": "Unknown pseudonym",
  "field-count": "Wrong number of fields",
  json: "Not a JSON object",
  "unknown-column": "Key not in the dictionary",
};

const number = new Intl.NumberFormat("en-GB");
const plural = (n: number, one: string, many = `${one}s`) => `${number.format(n)} ${n === 1 ? one : many}`;

const tableClass = "w-full min-w-max border-collapse text-left text-sm";
const cellClass = "border-b border-slate-200 px-2 py-1 align-top dark:border-slate-700";
const headClass = `${cellClass} font-medium`;

/** "412 rows, 2 errors": the sentence a list of files shows beside each one. */
export function reportSummary(report: Report): string {
  return `${plural(report.rows, "row")}, ${report.errors === 0 ? "no errors" : plural(report.errors, "error")}`;
}

export function ValidationReport({ report }: { report: Report }) {
  const { header, unknownPseudonyms: unknown } = report;
  const headerProblems = [
    ...header.missing.map((c) => `Required column “${c}” is missing.`),
    ...header.unknown.map((c) => `Column “${c || "(no name)"}” is not in the dictionary: describe it or remove it from the file.`),
    ...header.duplicate.map((c) => `Column “${c}” appears more than once.`),
  ];
  return (
    <section aria-label="Validation report" className="flex flex-col gap-3 text-sm" data-testid="validation-report">
      <p
        role="status"
        className={
          report.hasErrors
            ? "rounded-md border border-red-300 bg-red-50 p-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
            : "rounded-md border border-emerald-300 bg-emerald-50 p-2 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
        }
      >
        <span aria-hidden="true">{report.hasErrors ? "✗ " : "✓ "}</span>
        <strong>{report.hasErrors ? "Has errors" : "Valid"}:</strong> {reportSummary(report)}
        {report.hasErrors ? ". Fix the file and upload it again: a release with errors cannot be published." : " against the dictionary."}
      </p>

      {report.fatal ? (
        <p>
          <strong>Reading stopped{report.fatal.line ? ` at line ${number.format(report.fatal.line)}` : ""}:</strong> {report.fatal.message} The rows
          before it were checked.
        </p>
      ) : null}

      {headerProblems.length ? (
        <div>
          <h4 className="font-medium">Header</h4>
          <ul className="list-disc pl-5">
            {headerProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {report.problems.length ? (
        <div className="overflow-x-auto">
          <table className={tableClass}>
            <caption className="mb-1 text-left font-medium">Problems per column</caption>
            <thead>
              <tr>
                <th scope="col" className={headClass}>Column</th>
                <th scope="col" className={headClass}>Problem</th>
                <th scope="col" className={`${headClass} text-right`}>Rows</th>
                <th scope="col" className={headClass}>Expected</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p) => (
                <tr key={`${p.kind}-${p.column ?? ""}`}>
                  <td className={`${cellClass} font-mono`}>{p.column ?? "(whole row)"}</td>
                  <td className={cellClass}>{KIND_WORDS[p.kind]}</td>
                  <td className={`${cellClass} text-right tabular-nums`}>{number.format(p.count)}</td>
                  <td className={`${cellClass} whitespace-normal`}>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {report.examples.length ? (
        <div className="overflow-x-auto">
          <table className={tableClass}>
            <caption className="mb-1 text-left font-medium">First rows of each problem (row 1 is the first after the header)</caption>
            <thead>
              <tr>
                <th scope="col" className={`${headClass} text-right`}>Row</th>
                <th scope="col" className={headClass}>Column</th>
                <th scope="col" className={headClass}>Problem</th>
                <th scope="col" className={headClass}>Value</th>
              </tr>
            </thead>
            <tbody>
              {report.examples.map((e, i) => (
                <tr key={i}>
                  <td className={`${cellClass} text-right tabular-nums`}>{number.format(e.row)}</td>
                  <td className={`${cellClass} font-mono`}>{e.column ?? "(whole row)"}</td>
                  <td className={cellClass}>{KIND_WORDS[e.kind]}</td>
                  <td className={`${cellClass} font-mono break-all whitespace-normal`}>{e.value === "" ? <em className="font-sans">(empty)</em> : e.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {unknown.count ? (
        <div>
          <h4 className="font-medium">Unknown pseudonyms</h4>
          <p>
            {unknown.countIsLowerBound ? "At least " : ""}
            {plural(unknown.count, "pseudonym")} in {plural(unknown.rows, "row")} {unknown.count === 1 ? "was" : "were"} not proved by this trial&apos;s
            participants through the handover. Verify each participant&apos;s pseudonym with them, or remove their rows.
            {unknown.examples.length < unknown.count ? ` The first ${unknown.examples.length}:` : ""}
          </p>
          <ul className="list-disc pl-5 font-mono break-all" aria-label="Unknown pseudonyms">
            {unknown.examples.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
