import type { AnchorState } from "@/lib/anchoring/service";

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (date: Date) => `${WHEN.format(date)} UTC`;

/** Where an anchored digest stands (waiting, sent, anchored with a receipt link), in words. */
export function AnchorCell({ state, receiptHref }: { state: AnchorState | null; receiptHref: string }) {
  if (!state) return <>Not queued</>;
  if (state.state === "pending") {
    return (
      <>
        Pending since <time dateTime={state.since.toISOString()}>{when(state.since)}</time>
        {state.lastError ? <span className="block text-amber-800 dark:text-amber-300">Last error: {state.lastError}</span> : null}
      </>
    );
  }
  if (state.state === "sent") {
    return (
      <>
        Sent <time dateTime={state.since.toISOString()}>{when(state.since)}</time>, awaiting confirmation
      </>
    );
  }
  const chain = state.receipt.chain;
  return (
    <>
      Anchored in block {chain.blockNumber} at <time dateTime={chain.blockTime}>{when(new Date(chain.blockTime))}</time>{" "}
      <a href={receiptHref} className="block text-sky-700 underline dark:text-sky-400" download>
        Download the receipt (JSON)
      </a>
    </>
  );
}

