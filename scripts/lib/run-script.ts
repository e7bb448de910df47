import { closeDatabase } from "@/lib/db";

/**
 * Runs a database script's `main`, closes the database (releasing the embedded database's lock)
 * and exits: 0 on success, 1 with the error's message otherwise. Exiting explicitly matters: the
 * drivers keep timers that would hold the process open.
 */
export function runScript(main: () => Promise<void>): void {
  main()
    .then(() => closeDatabase())
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      await closeDatabase().catch(() => undefined);
      process.exit(1);
    });
}
