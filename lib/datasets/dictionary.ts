import { z } from "zod";
import { multiLine, singleLine } from "@/lib/schema/text";

/**
 * A release's data dictionary: what each column of its tabular files holds. Exactly one column is
 * the participant pseudonym (the trial-scoped pseudonym a participant proved through the handover,
 * re-keyed per grant in exports); a column marked as a direct identifier (name, address, record
 * number, …) is refused, since the portal shares pseudonymised data only.
 */

export const COLUMN_TYPES = ["integer", "decimal", "date", "code", "text", "boolean"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A column name as files and code spell it: a letter or underscore, then letters, digits, underscores. */
export const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const allowedCode = z
  .object({
    code: singleLine().trim().min(1).max(64),
    label: singleLine().trim().min(1).max(200),
  })
  .strict();

export const dictionaryColumn = z
  .object({
    name: z.string().regex(COLUMN_NAME, "A column name starts with a letter or _ and has only letters, digits and _ (at most 63)."),
    label: singleLine().trim().min(1, "Give the column a label.").max(200),
    type: z.enum(COLUMN_TYPES, { error: `The type is one of ${COLUMN_TYPES.join(", ")}.` }),
    unit: singleLine().trim().max(64).optional(),
    /** For type `code`: the values allowed (at least one). */
    codes: z.array(allowedCode).max(1000).optional(),
    required: z.boolean(),
    description: multiLine().trim().max(2000).optional(),
    /** The participant pseudonym column (exactly one per dictionary). */
    pseudonym: z.boolean().optional(),
    /** A direct identifier: refused (see superRefine below). */
    directIdentifier: z.boolean().optional(),
  })
  .strict();

export type DictionaryColumn = z.infer<typeof dictionaryColumn>;

export const dataDictionary = z
  .object({ columns: z.array(dictionaryColumn).min(1, "The dictionary has no columns.").max(500) })
  .strict()
  .superRefine((dictionary, ctx) => {
    const seen = new Set<string>();
    dictionary.columns.forEach((column, i) => {
      const key = column.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["columns", i, "name"], message: `The column “${column.name}” is listed twice.` });
      seen.add(key);
      if (column.directIdentifier) {
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "directIdentifier"],
          message: `“${column.name}” is a direct identifier: remove it. TrialLedger shares pseudonymised data only.`,
        });
      }
      if (column.type === "code" && !column.codes?.length) {
        ctx.addIssue({ code: "custom", path: ["columns", i, "codes"], message: `“${column.name}” is a code column: list its allowed codes.` });
      }
      if (column.type !== "code" && column.codes?.length) {
        ctx.addIssue({ code: "custom", path: ["columns", i, "codes"], message: `Only code columns have allowed codes (“${column.name}” is ${column.type}).` });
      }
    });
    const pseudonyms = dictionary.columns.filter((c) => c.pseudonym);
    if (pseudonyms.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message:
          pseudonyms.length === 0
            ? "Mark one column as the participant pseudonym."
            : `Only one column is the participant pseudonym (marked: ${pseudonyms.map((c) => c.name).join(", ")}).`,
      });
    }
  });

export type DataDictionary = z.infer<typeof dataDictionary>;
