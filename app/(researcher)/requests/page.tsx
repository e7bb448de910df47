import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle, Section } from "@/app/_components/field";
import { grantInWords, isoDate, stateInWords } from "@/app/(researcher)/requests/words";
import { listMyGrants, listMyRequests } from "@/lib/access/views";
import { requirePageAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "My access requests" };

const linkClass = "text-sky-700 underline dark:text-sky-400";
const th = "py-2 pr-3";

/** The signed-in researcher's access requests (their own and those of teams they are on) and grants. */
export default async function RequestsPage() {
  const session = await requirePageAccess(["researcher"], "/requests");
  const [requests, grants] = await Promise.all([listMyRequests(session), listMyGrants(session)]);
  const now = new Date();
  return (
    <>
      <PageTitle
        lead={
          <>
            A request asks a sponsor&apos;s data-access committee for releases of its datasets, for a stated purpose. Start one from a dataset&apos;s page in the{" "}
            <Link href="/datasets" className={linkClass}>
              catalogue
            </Link>{" "}
            (“Request access”).
          </>
        }
      >
        My access requests
      </PageTitle>
      <div className="flex flex-col gap-10">
        <Section id="requests" title="Requests">
          {requests.length === 0 ? (
            <p>No requests yet.</p>
          ) : (
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="My access requests">
              <table className="w-full text-left text-sm">
                <thead>
                  <tr className="border-b border-slate-200 dark:border-slate-700">
                    <th scope="col" className={th}>Request</th>
                    <th scope="col" className={th}>Title</th>
                    <th scope="col" className={th}>State</th>
                    <th scope="col" className={th}>Releases</th>
                    <th scope="col" className={th}>Submitted</th>
                    <th scope="col" className="py-2">Last change</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.map((r) => (
                    <tr key={r.number} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid={`request-${r.number}`}>
                      <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap">
                        <Link href={`/requests/${r.number}`} className={linkClass}>
                          {r.number}
                        </Link>
                      </td>
                      <td className="py-2 pr-3">{r.title || "Untitled request"}</td>
                      <td className="py-2 pr-3">{stateInWords(r.state, r.submittedAt, now)}</td>
                      <td className="py-2 pr-3 font-mono text-xs">{r.releases.join(", ") || "—"}</td>
                      <td className="py-2 pr-3 whitespace-nowrap">{r.submittedAt ? isoDate(r.submittedAt) : "—"}</td>
                      <td className="py-2 whitespace-nowrap">{isoDate(r.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>

        <Section id="grants" title="My grants">
          {grants.length === 0 ? (
            <p>No grants yet. Each approved request gives every team member access to each of its releases, until the end date the committee set.</p>
          ) : (
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="My grants">
              <table className="w-full text-left text-sm">
                <thead>
                  <tr className="border-b border-slate-200 dark:border-slate-700">
                    <th scope="col" className={th}>Release</th>
                    <th scope="col" className={th}>Dataset</th>
                    <th scope="col" className={th}>Request</th>
                    <th scope="col" className={th}>From – to</th>
                    <th scope="col" className="py-2">Standing</th>
                  </tr>
                </thead>
                <tbody>
                  {grants.map((g) => (
                    <tr key={g.id} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid={`grant-${g.release}`}>
                      <td className="py-2 pr-3 font-mono text-xs">{g.release}</td>
                      <td className="py-2 pr-3">{g.datasetTitle}</td>
                      <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap">
                        <Link href={`/requests/${g.request}`} className={linkClass}>
                          {g.request}
                        </Link>
                      </td>
                      <td className="py-2 pr-3 whitespace-nowrap">
                        {isoDate(g.start)} – {isoDate(g.end)}
                      </td>
                      <td className="py-2">{grantInWords(g)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="text-sm">
            Every active grant is a signed visa in your{" "}
            <a href="/api/ga4gh/passport" className={linkClass}>
              GA4GH Passport (JSON)
            </a>
            , which other services check against the portal&apos;s public keys.
          </p>
        </Section>
      </div>
    </>
  );
}
