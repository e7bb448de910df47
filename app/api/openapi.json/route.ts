// GET /api/openapi.json — public: the OpenAPI 3.1 document of the trials API (lib/registry/openapi.ts).
import { route } from "@/lib/handler";
import { openApiDocument } from "@/lib/registry/openapi";

export const dynamic = "force-dynamic";

export const GET = route({ name: "openapi", access: "public" }, async () =>
  Response.json(openApiDocument, { headers: { "cache-control": "public, max-age=300" } }),
);
