import { describe, expect, it } from "vitest";
import { SNARK_SCALAR_FIELD, commitmentInput, semaphoreProofInput } from "@/lib/consent/schema";

const proof = (merkleTreeDepth: unknown) => ({ merkleTreeDepth, merkleTreeRoot: "1", nullifier: "2", message: "3", scope: "4", points: Array(8).fill("5") });

describe("commitmentInput", () => {
  it("takes field elements 0 < c < p only", () => {
    for (const ok of ["1", "12345678901234567890", (SNARK_SCALAR_FIELD - 1n).toString()]) expect(commitmentInput.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["0", "00", SNARK_SCALAR_FIELD.toString(), (1n << 256n).toString(), "9".repeat(78), "-1", "0x1", "", "ab", "1\u00002", "1e3", "05", "0" + (SNARK_SCALAR_FIELD - 1n).toString()]) {
      expect(commitmentInput.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("semaphoreProofInput", () => {
  it("takes the fixed depth 20 only", () => {
    expect(semaphoreProofInput.safeParse(proof(20)).success).toBe(true);
    expect(semaphoreProofInput.safeParse(proof("20")).success).toBe(true);
    for (const depth of [1, 3, 16, 19, 21, 32]) {
      const result = semaphoreProofInput.safeParse(proof(depth));
      expect(result.success, String(depth)).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["merkleTreeDepth"]);
    }
  });
});

describe("semaphoreProofInput values", () => {
  const field = SNARK_SCALAR_FIELD;
  it("takes canonical decimals only: a zero-padded nullifier would verify as the same number yet count as a new pseudonym", () => {
    for (const key of ["merkleTreeRoot", "nullifier", "message", "scope"] as const) {
      const result = semaphoreProofInput.safeParse({ ...proof(20), [key]: "02" });
      expect(result.success, key).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toContain(key);
    }
    expect(semaphoreProofInput.safeParse({ ...proof(20), points: ["05", ...Array<string>(7).fill("5")] }).success).toBe(false);
  });

  it("takes roots and nullifiers below the scalar field order, message and scope below 2^256", () => {
    expect(semaphoreProofInput.safeParse({ ...proof(20), nullifier: (field - 1n).toString() }).success).toBe(true);
    expect(semaphoreProofInput.safeParse({ ...proof(20), nullifier: field.toString() }).success).toBe(false);
    expect(semaphoreProofInput.safeParse({ ...proof(20), merkleTreeRoot: (field + 1n).toString() }).success).toBe(false);
    expect(semaphoreProofInput.safeParse({ ...proof(20), message: ((1n << 256n) - 1n).toString() }).success).toBe(true);
    expect(semaphoreProofInput.safeParse({ ...proof(20), message: (1n << 256n).toString() }).success).toBe(false);
    expect(semaphoreProofInput.safeParse({ ...proof(20), points: [(1n << 255n).toString(), ...Array<string>(7).fill("5")] }).success).toBe(false);
  });
});
