import { describe, expect, it } from "vitest";
import { consentRegistryErrors, revertName } from "@/lib/chain/errors";

const reverted = (data: string) => ({ code: "CALL_EXCEPTION", data });

describe("revertName", () => {
  it("names ConsentRegistry's errors and the Semaphore errors that pass through it", () => {
    expect(revertName(reverted(consentRegistryErrors.encodeErrorResult("InvalidProof", [])), consentRegistryErrors)).toBe("InvalidProof");
    expect(revertName(reverted(consentRegistryErrors.encodeErrorResult("StaleSequence", [1n, 2n, 1n])), consentRegistryErrors)).toBe("StaleSequence");
    expect(revertName(reverted(consentRegistryErrors.encodeErrorResult("Semaphore__MerkleTreeRootIsExpired", [])), consentRegistryErrors)).toBe(
      "Semaphore__MerkleTreeRootIsExpired",
    );
  });

  it("tells a revert it cannot decode from a failure that is not a revert", () => {
    expect(revertName(reverted("0xdeadbeef"), consentRegistryErrors)).toBe("unknown revert");
    expect(revertName({ code: "CALL_EXCEPTION", data: "0x" }, consentRegistryErrors)).toBe("unknown revert");
    expect(revertName({ code: "NETWORK_ERROR" }, consentRegistryErrors)).toBeNull();
    expect(revertName(new Error("socket hang up"), consentRegistryErrors)).toBeNull();
  });
});
