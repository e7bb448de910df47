import { csvRow } from "@/lib/csv";
import { type DataDictionary, dataDictionary } from "@/lib/datasets/dictionary";

/**
 * The demo trial's synthetic release (TRIPLE-BP, high blood pressure: a low-dose triple pill against
 * usual care): per participant and visit, blood pressure, heart rate, weight and adverse events.
 * Generated from a seeded PRNG, so a demo reset gives the same numbers for the same pseudonyms; it
 * describes no real person. The effect sizes are plausible, not a result: the triple pill lowers
 * systolic pressure by about 12 mmHg more than usual care by week 12 (the order TRIUMPH reported).
 */

const ARMS = [
  { code: "TRIPLE", label: "Low-dose triple combination pill" },
  { code: "UC", label: "Usual care" },
] as const;
/** Visits every 6 weeks from randomisation (week 0) to week 24, as the trial's outcomes are timed. */
const WEEKS_BETWEEN_VISITS = 6;
/** First enrolment in the registered record (2026-09-01); participants enrol over 120 days. */
const FIRST_ENROLMENT = Date.UTC(2026, 8, 1);
const ENROLMENT_DAYS = 120;
const DAY_MS = 86_400_000;
const AE_TERMS = ["Dizziness", "Ankle swelling", "Headache", "Dry cough", "Fatigue", "Muscle cramps"];

/** The synthetic release's dictionary (valid: parsed with the shared schema before it is returned). */
export function demoDictionary(): DataDictionary {
  return dataDictionary.parse({
    columns: [
      { name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true, description: "The trial pseudonym the participant proved through the handover." },
      { name: "visit", label: "Visit number", type: "integer", required: true, description: "1 is the randomisation visit." },
      { name: "visit_week", label: "Weeks since randomisation", type: "integer", unit: "weeks", required: true },
      { name: "visit_date", label: "Visit date", type: "date", required: true },
      { name: "age_years", label: "Age at randomisation", type: "integer", unit: "years", required: true },
      { name: "sex", label: "Sex", type: "code", required: true, codes: [{ code: "F", label: "Female" }, { code: "M", label: "Male" }] },
      { name: "arm", label: "Randomised arm", type: "code", required: true, codes: ARMS.map((a) => ({ ...a })) },
      { name: "systolic_mmhg", label: "Seated systolic blood pressure", type: "integer", unit: "mmHg", required: true, description: "Mean of the second and third of three automated office readings." },
      { name: "diastolic_mmhg", label: "Seated diastolic blood pressure", type: "integer", unit: "mmHg", required: true },
      { name: "heart_rate_bpm", label: "Heart rate", type: "integer", unit: "beats/min", required: false },
      { name: "weight_kg", label: "Body weight", type: "decimal", unit: "kg", required: true },
      { name: "adverse_event", label: "Adverse event since the last visit", type: "boolean", required: true },
      { name: "adverse_event_term", label: "Adverse event (reported term)", type: "text", required: false, description: "Empty when there was none." },
    ],
  });
}

/** mulberry32: a small, fast 32-bit PRNG, plenty for demo numbers (not for anything secret). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A roughly normal value (sum of three uniforms) around `mean` with about `sd` spread. */
function around(random: () => number, mean: number, sd: number): number {
  return mean + (random() + random() + random() - 1.5) * 2 * sd;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The release's CSV, line by line (the header first, CRLF line ends): `visits` rows per pseudonym,
 * in pseudonym order. The same pseudonyms and seed always give the same text.
 */
export function* syntheticRows(pseudonyms: readonly string[], opts: { visits?: number; seed?: number } = {}): Generator<string> {
  const visits = opts.visits ?? 5;
  const random = prng(opts.seed ?? 2026);
  yield csvRow(demoDictionary().columns.map((c) => c.name));
  for (const [i, pseudonym] of pseudonyms.entries()) {
    const arm = ARMS[i % 2 === 0 ? 0 : 1];
    const sex = random() < 0.48 ? "F" : "M";
    const age = Math.round(around(random, 61, 9));
    const enrolled = FIRST_ENROLMENT + Math.floor(random() * ENROLMENT_DAYS) * DAY_MS;
    const baseSystolic = around(random, 156, 9);
    const baseDiastolic = around(random, 93, 6);
    const baseWeight = around(random, sex === "F" ? 74 : 86, 10);
    const baseRate = around(random, 74, 7);
    // mmHg lowered at full effect (week 12 on): triple pill about 12 more than usual care.
    const effect = arm.code === "TRIPLE" ? 22 : 10;
    for (let visit = 1; visit <= visits; visit++) {
      const week = (visit - 1) * WEEKS_BETWEEN_VISITS;
      const reached = Math.min(week, 12) / 12;
      const day = enrolled + (week * 7 + (visit > 1 ? Math.round(around(random, 0, 2)) : 0)) * DAY_MS;
      const adverse = visit > 1 && random() < (arm.code === "TRIPLE" ? 0.1 : 0.06);
      yield csvRow([
        pseudonym,
        visit,
        week,
        isoDate(day),
        age,
        sex,
        arm.code,
        Math.round(around(random, baseSystolic - effect * reached, 4)),
        Math.round(around(random, baseDiastolic - (effect / 2) * reached, 3)),
        Math.round(around(random, baseRate, 3)),
        around(random, baseWeight - 0.1 * week, 0.6).toFixed(1),
        adverse,
        adverse ? AE_TERMS[Math.floor(random() * AE_TERMS.length)] : "",
      ]);
    }
  }
}
