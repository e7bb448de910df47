// GET /log/tile/<L>/<N>[.p/<W>] and /log/tile/entries/<N>[.p/<W>] — public: the log's hash tiles and
// entry bundles (C2SP tlog-tiles). Full ones never change and are cached as immutable; partial ones
// exist only for tree sizes that have a checkpoint. 404 for a path that names no tile, or a tile
// the log does not have yet.
import { z } from "zod";
import { route } from "@/lib/handler";
import { readTile } from "@/lib/log/service";
import { type Tile, parseTilePath } from "@/lib/merkle";

export const dynamic = "force-dynamic";

const tilePathParams = z.object({
  path: z
    .array(z.string().max(40))
    .max(12)
    .transform((segments, ctx): Tile => {
      const tile = parseTilePath(`tile/${segments.join("/")}`);
      if (!tile) {
        ctx.addIssue({ code: "custom", message: "That is not a tile path (C2SP tlog-tiles)." });
        return z.NEVER;
      }
      return tile;
    }),
});

export const GET = route({ name: "log.tile", access: "public", params: tilePathParams }, async ({ params }) => {
  const tile = await readTile(params.path);
  return new Response(new Uint8Array(tile.bytes), {
    headers: {
      "content-type": "application/octet-stream",
      // A partial tile is superseded as the tree grows: a minute, like a checkpoint's few seconds
      // but cheaper to recompute for the many readers of one checkpoint.
      "cache-control": tile.immutable ? "public, max-age=31536000, immutable" : "public, max-age=60",
    },
  });
});
