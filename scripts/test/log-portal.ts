// The log's public URLs answered from their route handlers, as the portal would answer them: what
// the log verifiers (lib/log/client.ts, the CLI, a monitor) fetch, without a server.
import * as checkpointRoute from "@/app/log/checkpoint/route";
import * as tileRoute from "@/app/log/tile/[...path]/route";
import * as vkeyRoute from "@/app/log/vkey/route";
import * as entriesRoute from "@/app/api/log/entries/route";
import * as entryRoute from "@/app/api/log/entries/[index]/route";
import * as inclusionRoute from "@/app/api/log/proof/inclusion/route";
import * as consistencyRoute from "@/app/api/log/proof/consistency/route";
import * as witnessRoute from "@/app/api/log/witness/route";
import { handlerMeta } from "@/lib/handler";
import { logClient } from "@/lib/log/client";

type Handler = Parameters<typeof handlerMeta>[0];

/** A fetch that answers the log's URLs from its route handlers. */
export async function portalFetch(address: string): Promise<Response> {
  const url = new URL(address, "http://portal.test");
  const call = (handler: Handler, params: Record<string, string | string[]> = {}) => {
    const respond = handlerMeta(handler)?.respondAs;
    if (!respond) throw new Error(`${url.pathname}: not a wrapped route`);
    return respond(null, new Request(url), { params: Promise.resolve(params) });
  };
  const p = url.pathname;
  if (p === "/log/checkpoint") return call(checkpointRoute.GET);
  if (p === "/log/vkey") return call(vkeyRoute.GET);
  if (p.startsWith("/log/tile/")) return call(tileRoute.GET, { path: p.slice("/log/tile/".length).split("/") });
  if (p === "/api/log/entries") return call(entriesRoute.GET);
  if (p.startsWith("/api/log/entries/")) return call(entryRoute.GET, { index: p.slice("/api/log/entries/".length) });
  if (p === "/api/log/proof/inclusion") return call(inclusionRoute.GET);
  if (p === "/api/log/proof/consistency") return call(consistencyRoute.GET);
  if (p === "/api/log/witness") return call(witnessRoute.GET);
  throw new Error(`no route for ${p}`);
}

/** lib/log/client.ts's verifier, reading the portal through `portalFetch`. */
export function portalLogClient() {
  return logClient("http://portal.test", { fetch: (input) => portalFetch(input instanceof Request ? input.url : input.toString()) });
}
