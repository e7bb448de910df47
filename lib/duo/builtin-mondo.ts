/**
 * The built-in subset of Mondo seeded into an empty database (lib/duo/mutations.ts
 * `seedOntologyIfEmpty`), so the embedded default can code conditions before anyone runs
 * `npm run ontology:import`. Ids, labels and direct is_a parents are copied unchanged from Mondo
 * release 2022-09-06 (CC BY 4.0, https://mondo.monarchinitiative.org/): the root
 * (MONDO:0000001), its 38 direct children, and every ancestor of the terms the demo and the tests
 * use: essential hypertension and hypertensive disorder (the demo trial is about high blood
 * pressure), melanoma and cutaneous melanoma, diabetes mellitus and type 2 diabetes mellitus.
 * Every parent named here is itself in the list, so ancestor and descendant walks stay inside it.
 */

export const BUILTIN_MONDO_VERSION = "mondo/releases/2022-09-06 (built-in subset)";

export const BUILTIN_MONDO: ReadonlyArray<{ id: string; label: string; parents: readonly string[] }> = [
  { id: "MONDO:0000001", label: "disease or disorder", parents: [] },
  { id: "MONDO:0000473", label: "arterial disorder", parents: ["MONDO:0005385"] },
  { id: "MONDO:0000653", label: "integumentary system cancer", parents: ["MONDO:0002051",  "MONDO:0004992"] },
  { id: "MONDO:0001134", label: "essential hypertension", parents: ["MONDO:0005044"] },
  { id: "MONDO:0001933", label: "endocrine pancreas disorder", parents: ["MONDO:0002356"] },
  { id: "MONDO:0002025", label: "psychiatric disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002051", label: "integumentary system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002081", label: "musculoskeletal system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002082", label: "endocrine gland neoplasm", parents: ["MONDO:0005070",  "MONDO:0005151"] },
  { id: "MONDO:0002118", label: "urinary system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002254", label: "syndromic disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002356", label: "pancreas disorder", parents: ["MONDO:0004335",  "MONDO:0005151"] },
  { id: "MONDO:0002409", label: "auditory system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002531", label: "skin neoplasm", parents: ["MONDO:0005070",  "MONDO:0005093"] },
  { id: "MONDO:0002657", label: "breast disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0002898", label: "skin cancer", parents: ["MONDO:0000653",  "MONDO:0002531"] },
  { id: "MONDO:0002908", label: "glucose metabolism disease", parents: ["MONDO:0005066"] },
  { id: "MONDO:0003847", label: "Mendelian disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0003900", label: "connective tissue disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0004335", label: "digestive system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0004992", label: "cancer", parents: ["MONDO:0005070"] },
  { id: "MONDO:0004995", label: "cardiovascular disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005012", label: "cutaneous melanoma", parents: ["MONDO:0002898",  "MONDO:0005105",  "MONDO:0021069",  "MONDO:0021583"] },
  { id: "MONDO:0005015", label: "diabetes mellitus", parents: ["MONDO:0001933",  "MONDO:0002908"] },
  { id: "MONDO:0005039", label: "reproductive system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005042", label: "head disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005044", label: "hypertensive disorder", parents: ["MONDO:0000473"] },
  { id: "MONDO:0005046", label: "immune system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005066", label: "metabolic disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005070", label: "neoplasm", parents: ["MONDO:0023370"] },
  { id: "MONDO:0005071", label: "nervous system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005087", label: "respiratory system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005093", label: "skin disorder", parents: ["MONDO:0002051"] },
  { id: "MONDO:0005105", label: "melanoma", parents: ["MONDO:0019496",  "MONDO:0021143"] },
  { id: "MONDO:0005137", label: "nutritional disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005148", label: "type 2 diabetes mellitus", parents: ["MONDO:0005015"] },
  { id: "MONDO:0005151", label: "endocrine system disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005385", label: "vascular disorder", parents: ["MONDO:0004995"] },
  { id: "MONDO:0005570", label: "hematologic disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0005583", label: "non-human animal disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0019496", label: "neuroendocrine neoplasm", parents: ["MONDO:0002082"] },
  { id: "MONDO:0020683", label: "acute disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0021069", label: "malignant endocrine neoplasm", parents: ["MONDO:0002082",  "MONDO:0004992"] },
  { id: "MONDO:0021143", label: "melanocytic neoplasm", parents: ["MONDO:0005070",  "MONDO:0021635"] },
  { id: "MONDO:0021147", label: "disorder of development or morphogenesis", parents: ["MONDO:0000001"] },
  { id: "MONDO:0021166", label: "inflammatory disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0021178", label: "injury", parents: ["MONDO:0000001"] },
  { id: "MONDO:0021583", label: "melanocytic skin neoplasm", parents: ["MONDO:0002531",  "MONDO:0021143"] },
  { id: "MONDO:0021635", label: "neurocristopathy", parents: ["MONDO:0021147"] },
  { id: "MONDO:0023370", label: "neoplastic disease or syndrome", parents: ["MONDO:0045024"] },
  { id: "MONDO:0024458", label: "disorder of visual system", parents: ["MONDO:0000001"] },
  { id: "MONDO:0024623", label: "otorhinolaryngologic disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0029000", label: "poisoning", parents: ["MONDO:0000001"] },
  { id: "MONDO:0043459", label: "radiation-induced disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0043543", label: "iatrogenic disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0044970", label: "mitochondrial disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0044991", label: "upper digestive tract disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0045024", label: "cancer or benign tumor", parents: ["MONDO:0000001"] },
  { id: "MONDO:0100086", label: "perinatal disease", parents: ["MONDO:0000001"] },
  { id: "MONDO:0100336", label: "infectious disease or post-infectious disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0100366", label: "occupational disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0700003", label: "obstetric disorder", parents: ["MONDO:0000001"] },
  { id: "MONDO:0700007", label: "idiopathic disease", parents: ["MONDO:0000001"] },
];
