// GET /log/vkey — public: the verifier key of the log's checkpoints (C2SP signed-note vkey,
// "<name>+<key id>+<base64 key>"), for clients that learn it from the operator.
import { route } from "@/lib/handler";
import { logSigner } from "@/lib/log/signing-key";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.vkey", access: "public" }, async () => {
  const { verifierKey } = await logSigner();
  // 1 hour: the key changes only when the operator rotates it, which also changes the origin's trust.
  return new Response(`${verifierKey}\n`, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=3600" } });
});
