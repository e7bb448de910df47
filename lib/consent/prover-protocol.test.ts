import { describe, expect, it } from "vitest";
import { MAX_MEMBERS, parseProveRequest, parseProverResponse } from "@/lib/consent/prover-protocol";

const FIELD = "21888242871839275222246405745257275088548364400416300273491521678095051495617";

const request = (overrides: Record<string, unknown> = {}) => ({
  type: "prove",
  id: 7,
  identity: "c2VjcmV0",
  members: ["1", "2", "3"],
  message: "42",
  scope: (2n ** 256n - 1n).toString(),
  artifacts: { wasm: new Uint8Array([1]), zkey: new Uint8Array([2]) },
  ...overrides,
});

const proof = {
  merkleTreeDepth: 20,
  merkleTreeRoot: "1",
  message: "2",
  nullifier: "3",
  scope: "4",
  points: ["1", "2", "3", "4", "5", "6", "7", "8"],
};

describe("parseProveRequest", () => {
  it("accepts a well-formed request", () => {
    const parsed = parseProveRequest(request());
    expect(parsed).toEqual({ ok: true, request: request() });
  });

  it("refuses a message that is not a prove request, without an id to answer", () => {
    expect(parseProveRequest(null)).toMatchObject({ ok: false, id: null });
    expect(parseProveRequest({ ...request(), type: "other" })).toMatchObject({ ok: false, id: null });
    expect(parseProveRequest(request({ id: -1 }))).toMatchObject({ ok: false, id: null });
    expect(parseProveRequest(request({ id: 1.5 }))).toMatchObject({ ok: false, id: null });
  });

  it.each([
    ["an empty identity", { identity: "" }, /identity/],
    ["no members", { members: [] }, /members/],
    ["a member with a leading zero", { members: ["01"] }, /member/],
    ["a member in hex", { members: ["0x1"] }, /member/],
    ["a member as a bigint", { members: [1n] }, /member/],
    ["a member at the field order", { members: [FIELD] }, /field/],
    ["a message above uint256", { message: (2n ** 256n).toString() }, /message/],
    ["a negative scope", { scope: "-1" }, /scope/],
    ["artifacts as URLs", { artifacts: { wasm: "/a.wasm", zkey: "/a.zkey" } }, /artifacts/],
    ["too many members", { members: new Array<string>(MAX_MEMBERS + 1).fill("1") }, /at most 1048576/],
  ])("refuses %s, answering the request's id", (_name, overrides, reason) => {
    const parsed = parseProveRequest(request(overrides));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.id).toBe(7);
    expect(parsed.reason).toMatch(reason);
  });
});

describe("parseProverResponse", () => {
  it("accepts progress, results and errors", () => {
    expect(parseProverResponse({ type: "progress", id: 1, stage: "tree" })).toEqual({ type: "progress", id: 1, stage: "tree" });
    expect(parseProverResponse({ type: "result", id: 1, proof })).toEqual({ type: "result", id: 1, proof });
    expect(parseProverResponse({ type: "error", id: 1, message: "no" })).toEqual({ type: "error", id: 1, message: "no" });
  });

  it.each([
    ["an unknown stage", { type: "progress", id: 1, stage: "done" }],
    ["no id", { type: "error", message: "no" }],
    ["a proof with bigint fields", { type: "result", id: 1, proof: { ...proof, nullifier: 3n } }],
    ["a proof with seven points", { type: "result", id: 1, proof: { ...proof, points: proof.points.slice(1) } }],
    ["an error without a message", { type: "error", id: 1 }],
    ["an unknown type", { type: "hello", id: 1 }],
  ])("refuses %s", (_name, data) => {
    expect(parseProverResponse(data)).toBeNull();
  });
});
