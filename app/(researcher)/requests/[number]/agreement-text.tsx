import { AcceptAgreementForm } from "@/app/(researcher)/requests/[number]/accept-agreement";
import type { ResearcherRequest } from "@/app/(researcher)/requests/[number]/view";

/** The data use agreement of the request (its recorded version), and the signed-in member's acceptance. */
export function Agreement({ view, me }: { view: Pick<ResearcherRequest, "number" | "agreement">; me: string }) {
  return (
    <>
      <p className="text-sm">Version {view.agreement.version}. Each team member accepts it personally; the version is recorded with the request.</p>
      <div
        className="max-h-96 overflow-y-auto rounded-md bg-slate-50 p-3 text-sm whitespace-pre-line dark:bg-slate-900"
        tabIndex={0}
        role="region"
        aria-label="Data use agreement text"
        data-testid="agreement-text"
      >
        {view.agreement.text}
      </div>
      {view.agreement.acceptedByMe ? (
        <p>
          You ({me}) accepted version {view.agreement.version} of the agreement.
        </p>
      ) : (
        <AcceptAgreementForm number={view.number} version={view.agreement.version} />
      )}
    </>
  );
}
