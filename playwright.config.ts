import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser download cannot work offline)
 * against the portal started exactly as a newcomer starts it: `npm start`, here on a throw-away
 * data directory and port 3100.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `trialledger-e2e-${process.pid}`);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Keep Chromium off the closed network: no update checks, sync or QUIC probes.
      args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "npm start",
    url: `http://localhost:${PORT}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGINT", timeout: 15_000 },
    env: {
      PORT: String(PORT),
      DATA_DIR: dataDir,
      AUTH_URL: `http://localhost:${PORT}`,
      // Many sign-ins come from 127.0.0.1 in one run; the per-account limit stays at its default.
      SIGNIN_LIMIT_IP: "10000",
      SIGNUP_LIMIT_IP: "10000",
      NEXT_TELEMETRY_DISABLED: "1",
      // The consent spec enrols two participants per trial: decisions open at two members.
      CONSENT_MIN_GROUP_SIZE: "2",
    },
  },
});
