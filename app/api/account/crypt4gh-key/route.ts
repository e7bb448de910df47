// /api/account/crypt4gh-key — the researcher's Crypt4GH public key (crypt4gh-keygen's .pub file):
// exports are encrypted to it (GA4GH Crypt4GH v1, docs/exports.md).
// - GET: { publicKey } (null when none is registered).
// - PUT { publicKey }: registers or replaces it (422 naming publicKey when it is not one).
// - DELETE: removes it; later exports are delivered unencrypted over the authenticated links.
import { z } from "zod";
import { crypt4ghKeyInput } from "@/lib/exports/schema";
import { crypt4ghKeyOf, removeCrypt4ghKey, setCrypt4ghKey } from "@/lib/exports/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "access.crypt4gh-key.get", access: ["researcher"] }, async ({ session }) => crypt4ghKeyOf(session));

export const PUT = route({ name: "access.crypt4gh-key.set", access: ["researcher"], input: crypt4ghKeyInput }, async ({ session, input }) => setCrypt4ghKey({ user: session, publicKey: input.publicKey }));

export const DELETE = route({ name: "access.crypt4gh-key.remove", access: ["researcher"], input: z.object({}).strict() }, async ({ session }) => removeCrypt4ghKey({ user: session }));
