/**
 * Runs once when the Next.js server starts, before it serves a request: validates the
 * configuration, migrates (and on an empty embedded database seeds) the database, and checks the
 * chain. A problem stops the server with a message that says what to do.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("@/lib/boot");
  await boot();
}
