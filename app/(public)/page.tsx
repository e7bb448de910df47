import Link from "next/link";

const ROLES = [
  {
    title: "Trial sponsors",
    points: [
      "Pre-register a trial's protocol and analysis plan; the portal timestamps their digests on chain.",
      "Every amendment is a new, chained version: outcome switching is flagged publicly, when it happens.",
      "Publish datasets with GA4GH DUO data-use conditions, and decide access requests through a committee.",
    ],
  },
  {
    title: "Participants",
    points: [
      "Enrol with a single-use code: no account, no name, no email at the portal.",
      "Give, change or withdraw consent at any time with zero-knowledge proofs made on your own device.",
      "See who accessed your trial's data, and for what purpose.",
    ],
  },
  {
    title: "Researchers",
    points: [
      "Browse the catalogue and request access with a stated purpose; see at once whether it fits the conditions.",
      "Download exactly the rows that participants' current consent allows, with a manifest of digests.",
      "Every request, decision and download is recorded in a tamper-evident, public log.",
    ],
  },
];

export default function Home() {
  return (
    <div className="flex flex-col gap-10">
      <section className="flex flex-col gap-4">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Clinical research you can verify.</h1>
        <p className="max-w-3xl text-lg text-slate-700 dark:text-slate-300">
          TrialLedger registers trial protocols and datasets with verifiable timestamps, lets participants control their
          consent anonymously, and gives researchers accountable access to data. Anyone can check what was registered,
          and when, without trusting the portal.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href="/sign-up" className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800">
            Create an account
          </Link>
          <Link href="/sign-in" className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
            Sign in
          </Link>
        </div>
      </section>
      <section aria-labelledby="for-whom" className="flex flex-col gap-4">
        <h2 id="for-whom" className="text-xl font-semibold">
          What it does for you
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          {ROLES.map((role) => (
            <article key={role.title} className="rounded-lg border border-slate-200 p-5 dark:border-slate-700">
              <h3 className="mb-2 font-semibold">{role.title}</h3>
              <ul className="list-disc space-y-2 pl-5 text-sm text-slate-700 dark:text-slate-300">
                {role.points.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </article>
          ))}
        </div>
      </section>
      <section aria-labelledby="verify" className="rounded-lg bg-slate-100 p-5 dark:bg-slate-900">
        <h2 id="verify" className="mb-2 text-xl font-semibold">
          Verify, don&apos;t trust
        </h2>
        <p className="text-slate-700 dark:text-slate-300">
          Registrations, dataset releases and the access register are anchored on an EVM chain as Merkle roots of
          SHA-256 digests. Receipts can be checked against the chain with an independent verifier.
        </p>
        <p className="mt-3">
          <Link href="/verify" className="font-medium underline">
            Verify a file or receipt
          </Link>{" "}
          — in your browser, or with <code>npx trialledger verify</code>.
        </p>
      </section>
    </div>
  );
}
