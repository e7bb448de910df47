import type { TallyRow } from "@/lib/consent/tally";

const cell = "py-2 pr-3";

/** Granted / withdrawn / not yet answered per item, as a real table for screen readers. */
export function TallyTable({ caption, rows }: { caption: string; rows: readonly TallyRow[] }) {
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="mb-1 text-left font-medium">{caption}</caption>
      <thead>
        <tr className="border-b border-slate-300 dark:border-slate-600">
          <th scope="col" className={cell}>Item</th>
          <th scope="col" className={cell}>Granted</th>
          <th scope="col" className={cell}>Withdrawn</th>
          <th scope="col" className="py-2">Not yet answered</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.number} className="border-b border-slate-200 dark:border-slate-800">
            <th scope="row" className={`${cell} font-normal`}>Item {row.number}</th>
            <td className={cell}>{row.granted}</td>
            <td className={cell}>{row.withdrawn}</td>
            <td className="py-2">{row.notAnswered}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
