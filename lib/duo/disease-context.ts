import "server-only";
import type { Tx } from "@/lib/db";
import { ancestorsById, termLabels } from "@/lib/duo/data";
import type { DiseaseContext } from "@/lib/duo/match";

/**
 * The disease context a match needs (lib/duo/match.ts), read from the ontology in two queries
 * whatever the number of ids: each known id's ancestors-or-self and the labels of the ids. Ask
 * with `diseaseIdsOf(purpose, conditions)`, so one load serves every release of a request.
 * An id the ontology does not know is in neither map; the matcher sends it to the committee.
 */
export async function loadDiseaseContext(ids: readonly string[], db?: Tx): Promise<DiseaseContext> {
  const [ancestors, labels] = await Promise.all([ancestorsById(ids, db), termLabels(ids, db)]);
  return { ancestors, labels };
}
