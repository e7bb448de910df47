// The portal's HTTP server, run by scripts/start.ts (npm start) as `node --import tsx`: Next.js's
// own request handler behind a Node server that appends each request's socket address to
// x-forwarded-for. Route handlers never see the socket, and `next start` writes the socket address
// only when a request has no x-forwarded-for of its own, so a client could otherwise choose the
// address that rate limits and the development mailbox's loopback check rely on (lib/net/address.ts).
// Listens on HOST (loopback unless set) and PORT.
import http from "node:http";
import next from "next";
import { PEER_FROM_SOCKET_FLAG, FORWARDED_FOR, appendForwardedFor } from "@/lib/net/address";

async function main(): Promise<void> {
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 3000);
  process.env[PEER_FROM_SOCKET_FLAG] = "1";

  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((request, response) => {
    request.headers[FORWARDED_FOR] = appendForwardedFor(request.headers[FORWARDED_FOR], request.socket.remoteAddress);
    void handle(request, response);
  });
  server.on("error", (error) => {
    console.error(`\nTrialLedger cannot listen on ${host}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, host, () => console.log(`[serve] listening on ${host}:${port}`));
}

main().catch((error: unknown) => {
  console.error(`\nTrialLedger cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
