import { describe, expect, it } from "vitest";
import { getChain } from "@/lib/chain/client";
import { health } from "@/lib/health/service";
import { readMigrations } from "@/lib/migrate";

describe("health", () => {
  it("reports the database's migration state and the chain's contracts", async () => {
    const report = await health();
    expect(report.ok).toBe(true);
    expect(report.database).toMatchObject({
      kind: process.env.DATABASE_URL ? "postgresql" : "pglite",
      reachable: true,
      applied: readMigrations().length,
      pending: [],
    });
    const chain = await getChain();
    expect(report.chain).toMatchObject({ reachable: true, chainId: chain.chainId });
    expect(report.chain.latestBlock).toBeGreaterThan(0);
    for (const [name, contract] of Object.entries(report.chain.contracts)) {
      expect(contract.deployed, name).toBe(true);
      expect(contract.address.toLowerCase()).toBe(chain.deployment.contracts[name as keyof typeof chain.deployment.contracts]?.address.toLowerCase());
    }
  });

  it("talks to the deployed Semaphore through the one chain client", async () => {
    const chain = await getChain();
    const semaphore = chain.contracts.Semaphore;
    expect(await semaphore.getAddress()).toBe(chain.deployment.contracts.Semaphore?.address);
    expect(await chain.provider.getCode(await semaphore.getAddress())).not.toBe("0x");
  });
});
