import { z } from "zod";
import { releaseRef } from "@/lib/access/schema";

/** DAR-2026-00001.X2: the second export under request DAR-2026-00001. */
export const EXPORT_NUMBER = /^DAR-\d{4}-\d{5,}\.X[1-9]\d{0,8}$/;
export const exportNumber = z.string().regex(EXPORT_NUMBER, "That is not an export number, like DAR-2026-00001.X1.");

export const exportInput = z.object({ release: releaseRef }).strict();

/** A file of an export, by its id (a cuid). */
export const exportFileId = z.string().regex(/^[a-z0-9]{20,40}$/, "That is not a file of an export.");

/** `<file id>.<user id>.<expiry ms>.<HMAC, base64url>`: a download link's token (lib/exports/service.ts). */
export const downloadToken = z.string().regex(/^[a-z0-9]{20,40}\.[a-z0-9]{20,40}\.\d{13}\.[A-Za-z0-9_-]{43}$/, "That is not a download link.");

/** A Crypt4GH public key as `crypt4gh-keygen` writes it (or its base64 alone). */
export const crypt4ghKeyInput = z.object({ publicKey: z.string().min(1, "Paste your Crypt4GH public key.").max(400, "A Crypt4GH public key is under 400 characters.") }).strict();
