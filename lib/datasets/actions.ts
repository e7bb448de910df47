"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { addFile, createDataset, newRelease, provenPseudonymsCsv, publishRelease, removeFile, saveDraft, validateDraft } from "@/lib/datasets/service";
import { action } from "@/lib/handler";
import { signatureInput } from "@/lib/registry/signature";
import { singleLine } from "@/lib/schema/text";
import { datasetNumber, digest, recordId, registrationNumber } from "@/lib/schema/values";

/**
 * The sponsor's dataset actions. Each takes the dataset by number and checks membership of its
 * organisation in lib/datasets/service.ts; a section's value arrives as the JSON a page component
 * serialised (DictionaryEditor, DuoPicker) and is validated there against its schema.
 */

/** A JSON section from a form's hidden input (or an object from a program). 512 KiB: a dictionary of 1,000 columns. */
const jsonSection = z.union([
  z
    .string()
    .max(512 * 1024, "That section is too large.")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "That section is not valid JSON." });
        return z.NEVER;
      }
    }),
  z.record(z.string(), z.unknown()),
]);

const pathOf = (number: string) => `/datasets/${number}`;

export const createDatasetAction = action(
  {
    name: "datasets.create",
    access: ["sponsor"],
    input: z.object({
      registrationNumber,
      // 300: like a trial's public title.
      title: singleLine().trim().min(5, "Give the dataset a title of at least 5 characters.").max(300),
      orgSlug: z.string().max(64),
    }),
  },
  async ({ input, session }) => {
    const dataset = await createDataset({ user: session, registrationNumber: input.registrationNumber, title: input.title });
    redirect(`/orgs/${encodeURIComponent(input.orgSlug)}/datasets/${dataset.number}`);
  },
);

export const saveDraftAction = action(
  {
    name: "datasets.save-draft",
    access: ["sponsor"],
    input: z.object({ datasetNumber, section: z.enum(["metadata", "dictionary", "conditions"]), value: jsonSection }),
  },
  async ({ input, session }) => saveDraft({ user: session, datasetNumber: input.datasetNumber, section: input.section, value: input.value }),
);

export const addFileAction = action(
  {
    name: "datasets.add-file",
    access: ["sponsor"],
    // 255: the longest file name common file systems allow.
    input: z.object({ datasetNumber, name: singleLine().trim().min(1, "Name the file.").max(255), digest }),
  },
  async ({ input, session }) => addFile({ user: session, ...input }),
);

export const removeFileAction = action(
  { name: "datasets.remove-file", access: ["sponsor"], input: z.object({ datasetNumber, fileId: recordId }) },
  async ({ input, session }) => {
    await removeFile({ user: session, ...input });
    return { removed: input.fileId };
  },
);

export const validateDraftAction = action(
  { name: "datasets.validate", access: ["sponsor"], input: z.object({ datasetNumber }) },
  async ({ input, session }) => validateDraft({ user: session, datasetNumber: input.datasetNumber }),
);

export const publishReleaseAction = action(
  {
    name: "datasets.publish",
    access: ["sponsor"],
    input: z.object({ datasetNumber, basedOnUpdatedAt: z.coerce.date().optional(), signature: signatureInput }),
  },
  async ({ input, session }) => {
    const published = await publishRelease({ user: session, ...input });
    revalidatePath(pathOf(input.datasetNumber));
    revalidatePath("/datasets");
    return published;
  },
);

export const newReleaseAction = action(
  { name: "datasets.new-release", access: ["sponsor"], input: z.object({ datasetNumber }) },
  async ({ input, session }) => newRelease({ user: session, datasetNumber: input.datasetNumber }),
);

export const provenPseudonymsAction = action(
  { name: "datasets.pseudonyms", access: ["sponsor"], input: z.object({ datasetNumber }) },
  async ({ input, session }) => provenPseudonymsCsv({ user: session, datasetNumber: input.datasetNumber }),
);
