// bench/body-limits — what an oversized request costs the running portal (issue 8, point 9: an
// anonymous 100 MB POST raised the server's memory by 400 MB; a proof padded to 1 MB was accepted).
// Starts the portal as `npm start` does, then sends, to the public route that checks an enrolment
// code and to the public decision route:
//   - 100 MB of JSON with no Content-Length (chunked), so the limit must hold while reading;
//   - the same with a declared Content-Length of 100 MB;
//   - a decision whose body is padded to 1 MB.
// Prints each answer's status, the time to it, how much the client had sent by then, and the peak
// resident memory of the portal's processes during the request above the idle level before it.
// Usage: npm run bench:body-limits
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { groupMembers, interrupt, startPortal } from "@/scripts/lib/portal-process";

const port = 3710;
const MIB = 1024 * 1024;

/** Resident memory of every process in the portal's group, in bytes. */
function groupRss(pgid: number): number {
  let total = 0;
  for (const pid of groupMembers(pgid)) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      total += kb ? Number(kb) * 1024 : 0;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** A body of `total` bytes of JSON-looking text, made as it is read, counting what was pulled. */
function endlessJson(total: number): { stream: ReadableStream<Uint8Array>; sent: () => number } {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"code":"'));
    },
    pull(controller) {
      if (sent >= total) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
  return { stream, sent: () => sent };
}

type Result = { label: string; status: number | string; ms: number; sentMb: number; peakMb: number };

async function measure(pgid: number, label: string, send: () => Promise<{ status: number | string; sent: number }>): Promise<Result> {
  await new Promise((r) => setTimeout(r, 500));
  const idle = groupRss(pgid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, groupRss(pgid))), 20);
  const started = performance.now();
  const { status, sent } = await send();
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 300)); // memory a request grew keeps growing for a moment
  clearInterval(sampler);
  return { label, status, ms, sentMb: sent / MIB, peakMb: (peak - idle) / MIB };
}

async function post(url: string, init: RequestInit & { duplex?: "half" }): Promise<number | string> {
  try {
    const response = await fetch(url, init);
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    // The server may close the connection once it has answered and stops reading.
    return `closed (${(error as Error).cause ? String((error as { cause: unknown }).cause) : (error as Error).message})`.slice(0, 60);
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-limits-"));
  const portal = await startPortal({ dataDir, port });
  const pgid = portal.child.pid;
  if (pgid === undefined) throw new Error("no portal process");
  const check = `${portal.baseUrl}/api/consent/enrolment/check`;
  const results: Result[] = [];
  try {
    results.push(
      await measure(pgid, "100 MB JSON, chunked, to /api/consent/enrolment/check", async () => {
        const body = endlessJson(100 * MIB);
        const status = await post(check, { method: "POST", headers: { "content-type": "application/json" }, body: body.stream, duplex: "half" });
        return { status, sent: body.sent() };
      }),
    );
    results.push(
      await measure(pgid, "100 MB JSON, Content-Length declared, same route", async () => {
        const body = endlessJson(100 * MIB);
        const status = await post(check, {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": String(100 * MIB + 11) },
          body: body.stream,
          duplex: "half",
        });
        return { status, sent: body.sent() };
      }),
    );
    results.push(
      await measure(pgid, "decision padded to 1 MB, /api/consent/trials/…/decisions", async () => {
        const padded = JSON.stringify({ proof: { merkleTreeDepth: 20 }, padding: "x".repeat(MIB) });
        const status = await post(`${portal.baseUrl}/api/consent/trials/TLR-2026-00001/decisions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: padded,
        });
        return { status, sent: padded.length };
      }),
    );
  } finally {
    await interrupt(portal);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\noversized requests to a running portal (${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version})`);
  for (const r of results) {
    console.log(
      `${r.label}\n  answer ${r.status} after ${r.ms.toFixed(0)} ms; client had sent ${r.sentMb.toFixed(2)} MB; ` +
        `portal memory peak +${r.peakMb.toFixed(1)} MB over idle`,
    );
  }
}

await main();
