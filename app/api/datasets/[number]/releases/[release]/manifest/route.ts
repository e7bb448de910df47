// GET /api/datasets/{number}/releases/{release}/manifest — public: the release's manifest exactly
// as it was frozen at publication (RFC 8785 canonical JSON, lib/datasets/manifest.ts), as a file.
// Its SHA-256 is the digest the release's receipt proves, so the manifest and the receipt can be
// checked with `npx trialledger verify`, and every file of the release against the manifest.
// 404 for an unknown, malformed or unpublished release.
import { frozenJsonResponse } from "@/lib/anchoring/response";
import { releaseForReceipt } from "@/lib/datasets/data";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { datasetNumber, releaseNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route(
  { name: "datasets.manifest", access: "public", params: z.object({ number: datasetNumber, release: releaseNumber }) },
  async ({ params }) => {
    const release = await releaseForReceipt(params.number, params.release);
    if (!release?.manifest || !release.manifestDigest) throw new AppError("NOT_FOUND", "That dataset has no such published release.");
    return frozenJsonResponse(release.manifest, { digest: release.manifestDigest, filename: `${params.number}-release-${params.release}.manifest.json` });
  },
);
