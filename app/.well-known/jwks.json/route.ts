// GET /.well-known/jwks.json — public: the public key that signs the portal's GA4GH Passport visas
// (a JWKS, RFC 7517), where every visa's `jku` points. A clearinghouse fetches it to check a visa.
import { publicJwks } from "@/lib/access/visa-key";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "ga4gh.jwks", access: "public" }, async () => {
  // 1 hour, as the log's /log/vkey: the key changes only when the operator rotates it, and a
  // clearinghouse that meets an unknown kid fetches again. CORS: a browser-based clearinghouse
  // of another origin may read it; it holds nothing private.
  return Response.json(await publicJwks(), {
    headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=3600", "access-control-allow-origin": "*" },
  });
});
