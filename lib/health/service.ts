import "server-only";
import { chainHealth } from "@/lib/chain/service";
import { migrationTarget } from "@/lib/db";
import { env } from "@/lib/env";
import { migrationState } from "@/lib/migrate";

export type HealthReport = {
  ok: boolean;
  database: { kind: "pglite" | "postgresql"; reachable: boolean; applied?: number; pending?: string[]; error?: string };
  chain: Awaited<ReturnType<typeof chainHealth>>;
};

/** The state of the database and the chain; never throws, never waits more than a few seconds. */
export async function health(): Promise<HealthReport> {
  const kind = env().databaseKind;
  const [database, chain] = await Promise.all([
    migrationState(migrationTarget()).then(
      (state): HealthReport["database"] => ({ kind, reachable: true, applied: state.applied.length, pending: state.pending }),
      (error: unknown): HealthReport["database"] => {
        // The driver's message can name hosts and users: it goes to the log, not to the client.
        console.error("[health] database check failed:", error);
        return { kind, reachable: false, error: "the database did not answer" };
      },
    ),
    chainHealth(),
  ]);
  const databaseOk = database.reachable && (database.pending?.length ?? 0) === 0;
  return { ok: databaseOk && chain.reachable, database, chain };
}
