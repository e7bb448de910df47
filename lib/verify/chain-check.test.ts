import { Contract, JsonRpcProvider, makeError } from "ethers";
import { describe, expect, it } from "vitest";
import { abis } from "@/lib/chain/generated/abis";
import { deployedAddress, isNotThisContract } from "@/lib/verify/chain-check";

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

describe("isNotThisContract", () => {
  // The errors ethers itself makes of a JSON-RPC error answer to anchorOf's eth_call (no request is sent).
  const provider = new JsonRpcProvider("http://127.0.0.1:9", 31337, { staticNetwork: true });
  const call = {
    method: "eth_call",
    params: [{ to: REGISTRY, data: new Contract(REGISTRY, abis.TrialRegistry).interface.encodeFunctionData("anchorOf", [`0x${"00".repeat(32)}`]) }, "latest"],
    id: 1,
    jsonrpc: "2.0" as const,
  };
  const rpcError = (error: { code: number; message: string; data?: string }) => provider.getRpcError(call, { id: 1, error });

  it("a transient RPC failure is not a wrong contract, though ethers calls it CALL_EXCEPTION", () => {
    const behind = rpcError({ code: -32005, message: "header not found" });
    expect(behind).toMatchObject({ code: "CALL_EXCEPTION" });
    expect(isNotThisContract(behind)).toBe(false);
    expect(isNotThisContract(rpcError({ code: -32603, message: "upstream request timeout" }))).toBe(false);
    expect(isNotThisContract(makeError("request timeout", "TIMEOUT"))).toBe(false);
    expect(isNotThisContract(new Error("socket hang up"))).toBe(false);
  });

  it("a revert (with data, bare, or with only a message) or undecodable result is a wrong contract", () => {
    expect(isNotThisContract(rpcError({ code: 3, message: "execution reverted", data: "0x" }))).toBe(true);
    expect(isNotThisContract(rpcError({ code: 3, message: "execution reverted", data: "0x08c379a0" }))).toBe(true);
    expect(isNotThisContract(rpcError({ code: -32000, message: "execution reverted" }))).toBe(true);
    expect(isNotThisContract(makeError("could not decode result data", "BAD_DATA", { value: "0x" }))).toBe(true);
  });
});
