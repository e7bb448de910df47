import { Interface } from "ethers";
import { consentRegistryAbi, semaphoreAbi } from "./generated/abis";

/**
 * ConsentRegistry's custom errors together with Semaphore's: `submitConsent` calls Semaphore's
 * `verifyProof`, whose reverts (unknown or expired root, unsupported depth) pass through unchanged,
 * and ConsentRegistry's own ABI does not list them.
 */
export const consentRegistryErrors = new Interface([...consentRegistryAbi, ...semaphoreAbi].filter((item) => item.type === "error"));

/**
 * The name of the custom error a failed call reverted with, decoded with `errors`; null when the
 * failure was not a revert (network, timeout), "unknown revert" when the data is not in `errors`.
 */
export function revertName(error: unknown, errors: Interface): string | null {
  const e = error as { code?: string; data?: unknown };
  if (e.code !== "CALL_EXCEPTION") return null;
  const data = typeof e.data === "string" && e.data !== "0x" ? e.data : null;
  return (data && errors.parseError(data)?.name) ?? "unknown revert";
}
