import "server-only";
import { decideDevRequest } from "@/lib/dev/access";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { PEER_FROM_SOCKET_FLAG, clientAddressFrom, forwardedEntries } from "@/lib/net/address";

/**
 * For development-only routes: refuses, as if the route did not exist, anything but a loopback
 * request to a portal in development that listens on loopback (lib/dev/access.ts).
 * @throws AppError NOT_FOUND
 */
export function assertDevRequest(request: Request): void {
  const config = env();
  const decision = decideDevRequest({
    appEnv: config.APP_ENV,
    listenHost: config.host,
    peerFromSocket: process.env[PEER_FROM_SOCKET_FLAG] === "1",
    client: clientAddressFrom(request.headers, config.TRUSTED_PROXY_HOPS),
    forwardedEntries: forwardedEntries(request.headers).length,
    hostHeader: request.headers.get("host") ?? new URL(request.url).host,
  });
  if (!decision.ok) throw new AppError("NOT_FOUND");
}
