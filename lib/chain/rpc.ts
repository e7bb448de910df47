import { FetchRequest, JsonRpcProvider, Network } from "ethers";

/**
 * Opening a JSON-RPC provider: the one place providers are created, for the portal's chain client
 * (lib/chain/client.ts), the command-line verifier and the browser's verifier page alike. No
 * server-only imports and no configuration: the caller gives the URL.
 */

/** A request to the chain that takes longer than this fails (ethers' default is 5 minutes). */
const REQUEST_TIMEOUT_MS = 30_000;

/** An RPC URL for messages: hosted endpoints carry API keys in the path or query, so keep only the origin. */
export function redactRpcUrl(rpcUrl: string): string {
  try {
    return new URL(rpcUrl).origin;
  } catch {
    return "(invalid URL)";
  }
}

/** The RPC endpoint did not answer (refused, timed out, or not JSON-RPC). */
export class ChainUnreachableError extends Error {
  override name = "ChainUnreachableError";
}

async function fetchChainId(rpcUrl: string, timeoutMs: number): Promise<number> {
  let response: Response;
  try {
    response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : ((error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error)));
    throw new ChainUnreachableError(`cannot reach the chain at ${redactRpcUrl(rpcUrl)}: ${reason}`);
  }
  const body = (await response.json().catch(() => null)) as { result?: unknown } | null;
  if (!response.ok || typeof body?.result !== "string") {
    throw new ChainUnreachableError(
      `the chain at ${redactRpcUrl(rpcUrl)} did not answer eth_chainId (HTTP ${response.status})`,
    );
  }
  return Number.parseInt(body.result, 16);
}

/**
 * Opens a provider for `rpcUrl` with its network fixed to the chain id read once up front. Fixing
 * it matters: an ethers provider that has to detect its network retries forever (logging every
 * second) while the chain is down; this one fails each request instead, and the caller retries.
 * Throws ChainUnreachableError when the endpoint does not answer within `timeoutMs` (5 s by default).
 */
export async function openProvider(
  rpcUrl: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ provider: JsonRpcProvider; chainId: number }> {
  const chainId = await fetchChainId(rpcUrl, opts.timeoutMs ?? 5_000);
  const request = new FetchRequest(rpcUrl);
  request.timeout = REQUEST_TIMEOUT_MS;
  const network = Network.from(chainId);
  // cacheTimeout -1: ethers otherwise answers a repeated request from a 250 ms cache, and on a
  // chain that mines instantly (anvil) a second deployment then reused the first one's nonce.
  // batchMaxCount 1: ethers otherwise holds every request 10 ms to batch it; with the 4–6 requests
  // of a transaction that made a Semaphore addMember on anvil take 73 ms instead of 24 ms.
  const provider = new JsonRpcProvider(request, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
  });
  return { provider, chainId };
}

