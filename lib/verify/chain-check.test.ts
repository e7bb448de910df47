import { describe, expect, it } from "vitest";
import { deployedAddress } from "@/lib/verify/chain-check";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("deployedAddress", () => {
  it("reads a deployments file, or a portal's GET /api/deployments, for the RPC's chain only", () => {
    const document = {
      "31337": { deployedAt: "2026-12-01T00:00:00Z", contracts: { TrialRegistry: { address: REGISTRY, blockNumber: 4, codeHash: "0x00" } } },
    };
    expect(deployedAddress(document, 31337, "TrialRegistry")).toBe(REGISTRY.toLowerCase());
    expect(deployedAddress(document, 1, "TrialRegistry")).toBeNull();
    expect(deployedAddress(document, 31337, "ConsentRegistry")).toBeNull();
  });

  it("trusts nothing from a document that is not a deployments document or names no address", () => {
    for (const document of [null, "0x5fbdb2315678afecb367f032d93f642f64180aa3", [], { "31337": { contracts: { TrialRegistry: { address: "0x12" } } } }, { "31337": {} }]) {
      expect(deployedAddress(document, 31337, "TrialRegistry")).toBeNull();
    }
  });
});
