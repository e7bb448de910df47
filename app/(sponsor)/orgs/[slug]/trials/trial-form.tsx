"use client";

import { ErrorSummary } from "@/app/_components/error-summary";
import { Fragment, type ReactNode, useEffect, useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/handler";
import { amendTrialAction, registerTrialAction } from "@/lib/registry/actions";
import { exampleTrialRecord } from "@/lib/registry/example";
import { signatureMeaning } from "@/lib/registry/signature";
import { SignatureFields } from "@/app/(sponsor)/orgs/[slug]/trials/signature-fields";
import {
  AGE_UNITS,
  ALLOCATIONS,
  DATE_TYPES,
  ETHICS_STATUSES,
  INTERVENTION_TYPES,
  IPD_PLANS,
  MASKINGS,
  PHASES,
  PRIMARY_PURPOSES,
  RECRUITMENT_STATUSES,
  SEXES,
  STUDY_TYPES,
  type TrialRecordInput,
} from "@/lib/registry/schema";

/**
 * The registration form, for a new trial and for an amendment. The form edits a draft in which
 * every field is a string (what inputs hold); `toRecord` turns it into the record the server
 * validates: numbers become numbers, blank optional fields are left out. Validation is the
 * server's (trialRecordInput), so the form and the API can never disagree about what is valid.
 */

type Outcome = { id: string; measure: string; timeFrame: string; description: string };
type Contact = { name: string; email: string; phone: string; affiliation: string };
type Dated = { date: string; type: string };
type Draft = {
  secondaryIds: { id: string; issuer: string }[];
  fundingSources: string[];
  primarySponsor: string;
  secondarySponsors: string[];
  publicContact: Contact;
  scientificContact: Contact;
  publicTitle: string;
  scientificTitle: string;
  acronym: string;
  countries: string[];
  conditions: { name: string; code: string }[];
  interventions: { type: string; name: string; description: string }[];
  eligibility: { inclusion: string; exclusion: string; minAge: { value: string; unit: string }; maxAge: { value: string; unit: string }; sex: string };
  studyType: { type: string; allocation: string; masking: string; primaryPurpose: string; phase: string };
  dateOfFirstEnrollment: Dated;
  targetSampleSize: string;
  recruitmentStatus: string;
  primaryOutcomes: Outcome[];
  secondaryOutcomes: Outcome[];
  ethicsReview: { status: string; approvalDate: string; committee: string };
  completionDate: Dated;
  summaryResults: string;
  ipdSharingStatement: { plan: string; description: string };
};

const s = (value: string | number | undefined | null): string => (value === undefined || value === null ? "" : String(value));

function contactDraft(c: TrialRecordInput["publicContact"]): Contact {
  return { name: s(c.name), email: s(c.email), phone: s(c.phone), affiliation: s(c.affiliation) };
}

function outcomeDraft(o: TrialRecordInput["primaryOutcomes"][number]): Outcome {
  return { id: s(o.id), measure: s(o.measure), timeFrame: s(o.timeFrame), description: s(o.description) };
}

function toDraft(r: TrialRecordInput): Draft {
  const e = r.eligibility;
  return {
    secondaryIds: r.secondaryIds.map((x) => ({ id: s(x.id), issuer: s(x.issuer) })),
    fundingSources: [...r.fundingSources],
    primarySponsor: s(r.primarySponsor),
    secondarySponsors: [...r.secondarySponsors],
    publicContact: contactDraft(r.publicContact),
    scientificContact: contactDraft(r.scientificContact),
    publicTitle: s(r.publicTitle),
    scientificTitle: s(r.scientificTitle),
    acronym: s(r.acronym),
    countries: [...r.countries],
    conditions: r.conditions.map((c) => ({ name: s(c.name), code: s(c.code) })),
    interventions: r.interventions.map((i) => ({ type: s(i.type), name: s(i.name), description: s(i.description) })),
    eligibility: {
      inclusion: s(e.inclusion),
      exclusion: s(e.exclusion),
      minAge: { value: s(e.minAge?.value), unit: e.minAge?.unit ?? "years" },
      maxAge: { value: s(e.maxAge?.value), unit: e.maxAge?.unit ?? "years" },
      sex: s(e.sex),
    },
    studyType: {
      type: s(r.studyType.type),
      allocation: s(r.studyType.allocation),
      masking: s(r.studyType.masking),
      primaryPurpose: s(r.studyType.primaryPurpose),
      phase: s(r.studyType.phase),
    },
    dateOfFirstEnrollment: { date: s(r.dateOfFirstEnrollment.date), type: s(r.dateOfFirstEnrollment.type) },
    // 0 is never a valid size (at least 1): a blank record carries it, and the field shows empty.
    targetSampleSize: r.targetSampleSize === 0 ? "" : s(r.targetSampleSize),
    recruitmentStatus: s(r.recruitmentStatus),
    primaryOutcomes: r.primaryOutcomes.map(outcomeDraft),
    secondaryOutcomes: r.secondaryOutcomes.map(outcomeDraft),
    ethicsReview: { status: s(r.ethicsReview.status), approvalDate: s(r.ethicsReview.approvalDate), committee: s(r.ethicsReview.committee) },
    completionDate: { date: s(r.completionDate?.date), type: r.completionDate?.type ?? "anticipated" },
    summaryResults: s(r.summaryResults),
    ipdSharingStatement: { plan: s(r.ipdSharingStatement.plan), description: s(r.ipdSharingStatement.description) },
  };
}

/** Optional text: left out when blank, so a blank field and an absent one give the same digest. */
const opt = (value: string): string | undefined => (value.trim() === "" ? undefined : value);
/** A number as typed; blank is left out (the server names the missing field), "abc" becomes NaN (refused). */
const num = (value: string): number | undefined => (value.trim() === "" ? undefined : Number(value.trim()));

function age(limit: { value: string; unit: string }) {
  const value = num(limit.value);
  return value === undefined ? undefined : { value, unit: limit.unit };
}

function outcomeRecord(o: Outcome) {
  return { id: o.id.trim(), measure: o.measure, timeFrame: o.timeFrame, description: opt(o.description) };
}

/** The draft as the record sent to the server; undefined members disappear in the JSON. */
function toRecord(d: Draft) {
  return {
    secondaryIds: d.secondaryIds,
    fundingSources: d.fundingSources,
    primarySponsor: d.primarySponsor,
    secondarySponsors: d.secondarySponsors,
    publicContact: { ...d.publicContact, phone: opt(d.publicContact.phone) },
    scientificContact: { ...d.scientificContact, phone: opt(d.scientificContact.phone) },
    publicTitle: d.publicTitle,
    scientificTitle: d.scientificTitle,
    acronym: opt(d.acronym),
    countries: d.countries.map((c) => c.trim()),
    conditions: d.conditions.map((c) => ({ name: c.name, code: opt(c.code) })),
    interventions: d.interventions,
    eligibility: {
      inclusion: d.eligibility.inclusion,
      exclusion: d.eligibility.exclusion,
      minAge: age(d.eligibility.minAge),
      maxAge: age(d.eligibility.maxAge),
      sex: d.eligibility.sex,
    },
    studyType: {
      type: d.studyType.type,
      allocation: opt(d.studyType.allocation),
      masking: opt(d.studyType.masking),
      primaryPurpose: opt(d.studyType.primaryPurpose),
      phase: d.studyType.phase,
    },
    dateOfFirstEnrollment: d.dateOfFirstEnrollment,
    targetSampleSize: num(d.targetSampleSize),
    recruitmentStatus: d.recruitmentStatus,
    primaryOutcomes: d.primaryOutcomes.map(outcomeRecord),
    secondaryOutcomes: d.secondaryOutcomes.map(outcomeRecord),
    ethicsReview: { status: d.ethicsReview.status, approvalDate: opt(d.ethicsReview.approvalDate), committee: opt(d.ethicsReview.committee) },
    completionDate: opt(d.completionDate.date) ? d.completionDate : undefined,
    summaryResults: opt(d.summaryResults),
    ipdSharingStatement: d.ipdSharingStatement,
  };
}

type Node = Record<string, unknown>;

function getIn(root: Draft, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(".")) node = (node as Node | undefined)?.[key];
  return node;
}

function setIn(root: Draft, path: string, value: unknown): Draft {
  const copy = structuredClone(root);
  const keys = path.split(".");
  const last = keys.pop();
  if (last === undefined) return copy;
  let node = copy as unknown as Node;
  for (const key of keys) node = node[key] as Node;
  node[last] = value;
  return copy;
}

const idOf = (path: string) => `trial-${path.replaceAll(".", "-")}`;

/** Object lists: each item is a fieldset whose controls are `<list>.<i>.<key>`. */
const OBJECT_LISTS = {
  secondaryIds: ["id", "issuer"],
  conditions: ["name", "code"],
  interventions: ["type", "name", "description"],
  primaryOutcomes: ["id", "measure", "timeFrame", "description"],
  secondaryOutcomes: ["id", "measure", "timeFrame", "description"],
} as const;
const STRING_LISTS = ["fundingSources", "secondarySponsors", "countries"] as const;
const FIXED = [
  "primarySponsor",
  "publicTitle",
  "scientificTitle",
  "acronym",
  "targetSampleSize",
  "recruitmentStatus",
  "summaryResults",
  ...["name", "email", "phone", "affiliation"].flatMap((k) => [`publicContact.${k}`, `scientificContact.${k}`]),
  ...["inclusion", "exclusion", "sex", "minAge.value", "minAge.unit", "maxAge.value", "maxAge.unit"].map((k) => `eligibility.${k}`),
  ...["type", "allocation", "masking", "primaryPurpose", "phase"].map((k) => `studyType.${k}`),
  ...["date", "type"].flatMap((k) => [`dateOfFirstEnrollment.${k}`, `completionDate.${k}`]),
  ...["status", "approvalDate", "committee"].map((k) => `ethicsReview.${k}`),
  ...["plan", "description"].map((k) => `ipdSharingStatement.${k}`),
];
/** Errors the schema reports on an object whose first control is the place to fix them. */
const ALIASES: Record<string, string> = {
  "eligibility.minAge": "eligibility.minAge.value",
  "eligibility.maxAge": "eligibility.maxAge.value",
  dateOfFirstEnrollment: "dateOfFirstEnrollment.date",
  completionDate: "completionDate.date",
};

/** Every path that has an element (a control, or a list's or item's fieldset) in the form. */
function knownPaths(d: Draft): Set<string> {
  const known = new Set<string>(FIXED);
  for (const [list, keys] of Object.entries(OBJECT_LISTS)) {
    known.add(list);
    (d[list as keyof typeof OBJECT_LISTS] as unknown[]).forEach((_, i) => {
      known.add(`${list}.${i}`);
      for (const key of keys) known.add(`${list}.${i}.${key}`);
    });
  }
  for (const list of STRING_LISTS) {
    known.add(list);
    d[list].forEach((_, i) => known.add(`${list}.${i}`));
  }
  known.add("attachments");
  return known;
}

/** The element an error key belongs to: itself, an alias, or its nearest ancestor in the form. */
function placeOf(key: string, known: Set<string>): string | undefined {
  const stripped = key.startsWith("record.") ? key.slice("record.".length) : key;
  let path: string | undefined = ALIASES[stripped] ?? stripped;
  while (path) {
    if (known.has(path)) return path;
    const cut: number = path.lastIndexOf(".");
    path = cut > 0 ? path.slice(0, cut) : undefined;
  }
  return undefined;
}

function labelOf(place: string): string {
  const match = /^(\w+)\.(\d+)(?:\.(\w+))?$/.exec(place);
  const nice = (key: string) => key.replace(/([A-Z])/g, " $1").toLowerCase();
  if (match?.[1] && match[2] !== undefined) {
    const item = `${ITEM_NAMES[match[1]] ?? nice(match[1])} ${Number(match[2]) + 1}`;
    return match[3] ? `${item}: ${nice(match[3])}` : item;
  }
  const text = place.split(".").map(nice).join(": ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ITEM_NAMES: Record<string, string> = {
  secondaryIds: "Other identifier",
  fundingSources: "Funding source",
  secondarySponsors: "Secondary sponsor",
  countries: "Country",
  conditions: "Condition",
  interventions: "Intervention",
  primaryOutcomes: "Primary outcome",
  secondaryOutcomes: "Secondary outcome",
};

const humane = (code: string) => {
  const text = code.replaceAll("-", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
};

const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
const buttonClass =
  "rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-500 dark:hover:bg-slate-800";

type Upload = { state: "idle" } | { state: "uploading"; percent: number; name: string } | { state: "done"; name: string; digest: string; size: number } | { state: "failed"; message: string };
type AttachmentKind = "protocol" | "analysis-plan";

function uploadFile(file: File, orgId: string, onProgress: (percent: number) => void): Promise<{ digest: string; size: number }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // The organisation owns the upload: only it can attach the file to a trial.
    xhr.open("POST", `/api/uploads?org=${encodeURIComponent(orgId)}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection was lost. Try again."));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const ok = body as { digest?: unknown; size?: unknown } | undefined;
        if (typeof ok?.digest === "string") return resolve({ digest: ok.digest, size: Number(ok.size ?? file.size) });
        return reject(new Error("The upload finished but the portal's answer could not be read."));
      }
      const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
      if (typeof message === "string") return reject(new Error(message));
      if (xhr.status === 413) return reject(new Error("The file is too large."));
      reject(new Error(`The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.send(file);
  });
}

function FileUpload({
  kind,
  label,
  accept,
  orgId,
  upload,
  onChange,
}: {
  kind: AttachmentKind;
  label: string;
  accept?: string;
  orgId: string;
  upload: Upload;
  onChange: (u: Upload) => void;
}) {
  const id = `attachment-${kind}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type="file"
        accept={accept}
        aria-describedby={`${id}-status`}
        className="text-sm"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (!file) return onChange({ state: "idle" });
          onChange({ state: "uploading", percent: 0, name: file.name });
          uploadFile(file, orgId, (percent) => onChange({ state: "uploading", percent, name: file.name })).then(
            ({ digest, size }) => onChange({ state: "done", name: file.name, digest, size }),
            (error: unknown) => onChange({ state: "failed", message: error instanceof Error ? error.message : "The upload failed." }),
          );
        }}
      />
      <div id={`${id}-status`} className="text-sm">
        {upload.state === "uploading" ? (
          <>
            <progress max={100} value={upload.percent} aria-label={`Uploading ${upload.name}`} className="w-full" />
            <p aria-live="polite">Uploading {upload.name}: {upload.percent}%</p>
          </>
        ) : null}
        {upload.state === "done" ? (
          <p aria-live="polite">
            Uploaded {upload.name} ({upload.size.toLocaleString("en-GB")} bytes). SHA-256: <span className="font-mono text-xs break-all">{upload.digest}</span>
          </p>
        ) : null}
        {upload.state === "failed" ? (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {upload.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** `orgName` and `signer`: for the signature's meaning and the "signing as" line. */
type Props = { orgName: string; signer: { name: string; email: string } } & (
  | { mode: "register"; initial: TrialRecordInput; orgId: string }
  | { mode: "amend"; initial: TrialRecordInput; registrationNumber: string; basedOnVersion: number }
);

/** Field errors of the signature, shown by its password field rather than in the record's. */
const isSignatureField = (key: string) => key === "signature" || key.startsWith("signature.");

export function TrialForm(props: Props) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(props.initial));
  const [error, setError] = useState<{ message: string; fieldErrors: Record<string, string[]> } | null>(null);
  const [pending, startTransition] = useTransition();
  const [uploads, setUploads] = useState<Record<AttachmentKind, Upload>>({ protocol: { state: "idle" }, "analysis-plan": { state: "idle" } });
  const summaryRef = useRef<HTMLDivElement>(null);
  // Submitting first shows the record read-only for review; registering is the second step.
  const [reviewing, setReviewing] = useState(false);
  const reviewRef = useRef<HTMLElement>(null);
  const [password, setPassword] = useState("");

  useEffect(() => {
    if (error) summaryRef.current?.focus();
  }, [error]);
  useEffect(() => {
    if (reviewing) reviewRef.current?.focus();
  }, [reviewing]);
  // Any edit during the review ends it: what is reviewed is what gets registered.
  useEffect(() => {
    setReviewing(false);
  }, [draft, uploads]);

  const known = knownPaths(draft);
  const placed = new Map<string, string[]>();
  const unplaced: string[] = [];
  const signatureErrors: string[] = [];
  for (const [key, messages] of Object.entries(error?.fieldErrors ?? {})) {
    if (isSignatureField(key)) {
      signatureErrors.push(...messages);
      continue;
    }
    const place = placeOf(key, known);
    if (place) placed.set(place, [...(placed.get(place) ?? []), ...messages]);
    else unplaced.push(...messages);
  }

  const set = (path: string, value: unknown) => setDraft((d) => setIn(d, path, value));
  const value = (path: string) => s(getIn(draft, path) as string | undefined);

  /** aria wiring for the element at `path`: its id, and its error when there is one. */
  const described = (path: string, hint?: string) => {
    const id = idOf(path);
    const messages = placed.get(path);
    const ids = [hint ? `${id}-hint` : undefined, messages ? `${id}-error` : undefined].filter(Boolean).join(" ");
    return { id, "aria-invalid": messages ? true : undefined, "aria-describedby": ids || undefined } as const;
  };
  const errorText = (path: string) => {
    const messages = placed.get(path);
    return messages ? (
      <p id={`${idOf(path)}-error`} className="text-sm text-red-700 dark:text-red-400">
        {messages.join(" ")}
      </p>
    ) : null;
  };

  const text = (path: string, label: string, opts: { type?: string; hint?: string; multiline?: boolean; required?: boolean; className?: string } = {}) => (
    <div className={`flex flex-col gap-1 ${opts.className ?? ""}`} key={path}>
      <label htmlFor={idOf(path)} className="text-sm font-medium">
        {label}
        {opts.required === false ? <span className="font-normal text-slate-600 dark:text-slate-400"> (optional)</span> : null}
      </label>
      {opts.multiline ? (
        <textarea rows={4} className={inputClass} value={value(path)} onChange={(e) => set(path, e.target.value)} {...described(path, opts.hint)} />
      ) : (
        <input
          type={opts.type ?? "text"}
          className={inputClass}
          value={value(path)}
          onChange={(e) => set(path, e.target.value)}
          {...described(path, opts.hint)}
        />
      )}
      {opts.hint ? (
        <p id={`${idOf(path)}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {opts.hint}
        </p>
      ) : null}
      {errorText(path)}
    </div>
  );

  const select = (path: string, label: string, options: readonly string[], opts: { optional?: boolean } = {}) => (
    <div className="flex flex-col gap-1" key={path}>
      <label htmlFor={idOf(path)} className="text-sm font-medium">
        {label}
        {opts.optional ? <span className="font-normal text-slate-600 dark:text-slate-400"> (optional)</span> : null}
      </label>
      <select className={inputClass} value={value(path)} onChange={(e) => set(path, e.target.value)} {...described(path)}>
        {opts.optional || value(path) === "" ? <option value="">{opts.optional ? "Not given" : "Choose…"}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {humane(o)}
          </option>
        ))}
      </select>
      {errorText(path)}
    </div>
  );

  const section = (path: string, legend: string, children: ReactNode) => (
    <fieldset key={path} className="flex flex-col gap-4 rounded-lg border border-slate-200 p-5 dark:border-slate-700">
      <legend className="px-1 text-lg font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );

  /** A repeatable group: its fieldset (the target of list-level errors), its items, and "Add …". */
  const list = <K extends keyof Draft>(path: K, legend: string, blank: Draft[K] extends (infer T)[] ? T : never, item: (i: number, name: string) => ReactNode) => {
    const items = draft[path] as unknown[];
    const name = ITEM_NAMES[path] ?? String(path);
    return (
      <fieldset
        key={path}
        id={idOf(path)}
        tabIndex={-1}
        aria-describedby={placed.has(path) ? `${idOf(path)}-error` : undefined}
        className="flex flex-col gap-4 rounded-lg border border-slate-200 p-5 dark:border-slate-700"
      >
        <legend className="px-1 text-lg font-semibold">{legend}</legend>
        {errorText(path)}
        {items.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">None.</p> : null}
        {items.map((_, i) => (
          <div key={i} className="flex flex-col gap-3 border-l-4 border-slate-200 pl-4 dark:border-slate-700">
            {item(i, `${name} ${i + 1}`)}
            <div>
              <button
                type="button"
                className={buttonClass}
                onClick={() => setDraft((d) => ({ ...d, [path]: (d[path] as unknown[]).filter((__, j) => j !== i) }))}
              >
                Remove {name.toLowerCase()} {i + 1}
              </button>
            </div>
          </div>
        ))}
        <div>
          <button type="button" className={buttonClass} onClick={() => setDraft((d) => ({ ...d, [path]: [...(d[path] as unknown[]), structuredClone(blank)] }))}>
            Add {name.toLowerCase()}
          </button>
        </div>
      </fieldset>
    );
  };

  /** An item of an object list, grouped so its errors (like "listed twice") have a place. */
  const itemGroup = (path: string, name: string, children: ReactNode) => (
    <fieldset id={idOf(path)} tabIndex={-1} aria-describedby={placed.has(path) ? `${idOf(path)}-error` : undefined} className="flex flex-col gap-3">
      <legend className="font-medium">{name}</legend>
      {errorText(path)}
      {children}
    </fieldset>
  );

  const outcomes = (path: "primaryOutcomes" | "secondaryOutcomes", legend: string) =>
    list(path, legend, { id: "", measure: "", timeFrame: "", description: "" }, (i, name) =>
      itemGroup(`${path}.${i}`, name, [
        text(`${path}.${i}.id`, `${name}: id`, { hint: "A short id kept across versions, like bp-12w: lower-case letters, digits and hyphens." }),
        text(`${path}.${i}.measure`, `${name}: measure`),
        text(`${path}.${i}.timeFrame`, `${name}: time frame`),
        text(`${path}.${i}.description`, `${name}: description`, { multiline: true, required: false }),
      ]),
    );

  const contact = (path: "publicContact" | "scientificContact", legend: string, who: string) =>
    section(path, legend, [
      text(`${path}.name`, `${who}: name`),
      text(`${path}.email`, `${who}: email`, { type: "email" }),
      text(`${path}.phone`, `${who}: phone`, { type: "tel", required: false }),
      text(`${path}.affiliation`, `${who}: affiliation`),
    ]);

  const meaningOf = (title: string) =>
    signatureMeaning(
      props.mode === "register"
        ? { kind: "register", title, orgName: props.orgName }
        : { kind: "amend", title, orgName: props.orgName, registrationNumber: props.registrationNumber, version: props.basedOnVersion + 1 },
    );

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!reviewing) {
      setError(null);
      setReviewing(true);
      return;
    }
    const record = toRecord(draft);
    const attachments = (["protocol", "analysis-plan"] as const).flatMap((kind) => {
      const u = uploads[kind];
      return u.state === "done" ? [{ kind, name: u.name, digest: u.digest }] : [];
    });
    const signature = { password, meaning: meaningOf(record.publicTitle) };
    startTransition(async () => {
      const result: ActionResult<unknown> | undefined =
        props.mode === "register"
          ? await registerTrialAction({ orgId: props.orgId, record, attachments, signature })
          : await amendTrialAction({ registrationNumber: props.registrationNumber, basedOnVersion: props.basedOnVersion, record, signature });
      // A successful call redirects to the trial page; only failures come back.
      if (result && !result.ok) {
        const fieldErrors = result.error.fieldErrors ?? {};
        const keys = Object.keys(fieldErrors);
        // Only the signature was refused: the review stays, to sign again; the password is cleared.
        if (keys.length === 0 || !keys.every(isSignatureField)) setReviewing(false);
        setPassword("");
        setError({ message: result.error.message, fieldErrors });
      }
    });
  }

  const uploading = Object.values(uploads).some((u) => u.state === "uploading");
  const summaryItems = [...placed.entries()];

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-6" aria-label={props.mode === "register" ? "Register a trial" : "Amend the trial"}>
      {error ? (
        <ErrorSummary
          ref={summaryRef}
          id="trial-form-errors"
          notSaved="The record was not saved"
          message={error.message}
          fields={summaryItems}
          unplaced={unplaced}
          idOf={idOf}
          labelOf={labelOf}
          headingLevel={2}
        />
      ) : null}

      {props.mode === "register" ? (
        <div>
          <button type="button" className={buttonClass} onClick={() => setDraft(toDraft(structuredClone(exampleTrialRecord)))}>
            Fill with example
          </button>
        </div>
      ) : null}

      {section("titles", "Titles", [
        text("publicTitle", "Public title", { hint: "In plain language, for patients and the public." }),
        text("scientificTitle", "Scientific title", { multiline: true }),
        text("acronym", "Acronym", { required: false }),
      ])}

      {section("sponsors", "Sponsor", [text("primarySponsor", "Primary sponsor")])}
      {list("fundingSources", "Sources of funding", "", (i, name) => text(`fundingSources.${i}`, name))}
      {list("secondarySponsors", "Secondary sponsors", "", (i, name) => text(`secondarySponsors.${i}`, name))}
      {list("secondaryIds", "Other identifiers", { id: "", issuer: "" }, (i, name) =>
        itemGroup(`secondaryIds.${i}`, name, [text(`secondaryIds.${i}.id`, `${name}: identifier`), text(`secondaryIds.${i}.issuer`, `${name}: issued by`)]),
      )}

      {contact("publicContact", "Contact for public queries", "Public contact")}
      {contact("scientificContact", "Contact for scientific queries", "Scientific contact")}

      {list("countries", "Countries of recruitment", "", (i, name) =>
        text(`countries.${i}`, name, { hint: "Two-letter ISO code, like GB." }),
      )}
      {list("conditions", "Health conditions studied", { name: "", code: "" }, (i, name) =>
        itemGroup(`conditions.${i}`, name, [
          text(`conditions.${i}.name`, `${name}: name`),
          text(`conditions.${i}.code`, `${name}: code`, { required: false, hint: "ICD-10, ICD-11 or SNOMED CT." }),
        ]),
      )}
      {list("interventions", "Interventions", { type: "drug", name: "", description: "" }, (i, name) =>
        itemGroup(`interventions.${i}`, name, [
          select(`interventions.${i}.type`, `${name}: type`, INTERVENTION_TYPES),
          text(`interventions.${i}.name`, `${name}: name`),
          text(`interventions.${i}.description`, `${name}: description`, { multiline: true }),
        ]),
      )}

      {section("eligibility", "Eligibility", [
        text("eligibility.inclusion", "Inclusion criteria", { multiline: true }),
        text("eligibility.exclusion", "Exclusion criteria", { multiline: true }),
        <div key="ages" className="grid gap-4 sm:grid-cols-2">
          {text("eligibility.minAge.value", "Minimum age", { type: "number", required: false })}
          {select("eligibility.minAge.unit", "Minimum age: unit", AGE_UNITS)}
          {text("eligibility.maxAge.value", "Maximum age", { type: "number", required: false })}
          {select("eligibility.maxAge.unit", "Maximum age: unit", AGE_UNITS)}
        </div>,
        select("eligibility.sex", "Sexes who can take part", SEXES),
      ])}

      {section("studyType", "Study design", [
        select("studyType.type", "Study type", STUDY_TYPES),
        select("studyType.allocation", "Allocation", ALLOCATIONS, { optional: true }),
        select("studyType.masking", "Masking", MASKINGS, { optional: true }),
        select("studyType.primaryPurpose", "Primary purpose", PRIMARY_PURPOSES, { optional: true }),
        select("studyType.phase", "Phase", PHASES),
      ])}

      {section("recruitment", "Recruitment", [
        <div key="first" className="grid gap-4 sm:grid-cols-2">
          {text("dateOfFirstEnrollment.date", "Date of first enrolment", { type: "date" })}
          {select("dateOfFirstEnrollment.type", "Date of first enrolment: anticipated or actual", DATE_TYPES)}
        </div>,
        <div key="completion" className="grid gap-4 sm:grid-cols-2">
          {text("completionDate.date", "Completion date", { type: "date", required: false })}
          {select("completionDate.type", "Completion date: anticipated or actual", DATE_TYPES)}
        </div>,
        text("targetSampleSize", "Target sample size", { type: "number", hint: "The number of participants." }),
        select("recruitmentStatus", "Recruitment status", RECRUITMENT_STATUSES),
      ])}

      {outcomes("primaryOutcomes", "Primary outcomes")}
      {outcomes("secondaryOutcomes", "Key secondary outcomes")}

      {section("ethicsReview", "Ethics review", [
        select("ethicsReview.status", "Ethics review status", ETHICS_STATUSES),
        text("ethicsReview.approvalDate", "Date of approval", { type: "date", required: false }),
        text("ethicsReview.committee", "Ethics committee", { required: false }),
      ])}

      {section("results", "Results and data sharing", [
        text("summaryResults", "Summary results", { multiline: true, required: false }),
        select("ipdSharingStatement.plan", "Will individual participant data be shared?", IPD_PLANS),
        text("ipdSharingStatement.description", "Data-sharing plan", { multiline: true }),
      ])}

      {props.mode === "register"
        ? section("attachments", "Documents", [
            <p key="note" className="text-sm text-slate-600 dark:text-slate-400">
              Optional. Each file is uploaded when you choose it; its SHA-256 digest is anchored with the registration.
            </p>,
            placed.has("attachments") ? (
              <p key="error" id={`${idOf("attachments")}`} className="text-sm text-red-700 dark:text-red-400">
                {placed.get("attachments")?.join(" ")}
              </p>
            ) : null,
            <FileUpload
              key="protocol"
              kind="protocol"
              label="Protocol (PDF)"
              accept="application/pdf,.pdf"
              orgId={props.orgId}
              upload={uploads.protocol}
              onChange={(u) => setUploads((all) => ({ ...all, protocol: u }))}
            />,
            <FileUpload
              key="analysis-plan"
              kind="analysis-plan"
              label="Statistical analysis plan"
              orgId={props.orgId}
              upload={uploads["analysis-plan"]}
              onChange={(u) => setUploads((all) => ({ ...all, "analysis-plan": u }))}
            />,
          ])
        : null}

      {reviewing ? (
        <>
          <Review
            ref={reviewRef}
            record={toRecord(draft)}
            initial={props.mode === "amend" ? toRecord(toDraft(props.initial)) : null}
            attachments={(["protocol", "analysis-plan"] as const).flatMap((kind) => {
              const u = uploads[kind];
              return u.state === "done" ? [{ name: u.name, digest: u.digest }] : [];
            })}
          />
          <SignatureFields
            meaning={meaningOf(draft.publicTitle)}
            signer={props.signer}
            password={password}
            onPassword={setPassword}
            error={signatureErrors.length > 0 ? signatureErrors.join(" ") : undefined}
          />
        </>
      ) : null}

      <div className="flex flex-wrap gap-3">
        {reviewing ? (
          <button
            type="button"
            onClick={() => setReviewing(false)}
            className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            Back to editing
          </button>
        ) : null}
        <button
          type="submit"
          disabled={pending || uploading}
          className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
        >
          {pending ? "Working…" : !reviewing ? "Review" : props.mode === "register" ? "Sign and register the trial" : "Sign and register the amendment"}
        </button>
        {uploading ? <p className="mt-2 text-sm">Wait for the uploads to finish.</p> : null}
      </div>
    </form>
  );
}

type ReviewProps = {
  ref: React.Ref<HTMLElement>;
  record: ReturnType<typeof toRecord>;
  initial: ReturnType<typeof toRecord> | null;
  attachments: Array<{ name: string; digest: string }>;
};

const REVIEW_LABELS: Record<string, string> = {
  secondaryIds: "Secondary identifiers",
  fundingSources: "Funding sources",
  primarySponsor: "Primary sponsor",
  secondarySponsors: "Secondary sponsors",
  publicContact: "Contact for public queries",
  scientificContact: "Contact for scientific queries",
  publicTitle: "Public title",
  scientificTitle: "Scientific title",
  acronym: "Acronym",
  countries: "Countries of recruitment",
  conditions: "Health conditions",
  interventions: "Interventions",
  eligibility: "Key eligibility criteria",
  studyType: "Study type",
  dateOfFirstEnrollment: "Date of first enrolment",
  targetSampleSize: "Target sample size",
  recruitmentStatus: "Recruitment status",
  primaryOutcomes: "Primary outcomes",
  secondaryOutcomes: "Secondary outcomes",
  ethicsReview: "Ethics review",
  completionDate: "Completion date",
  summaryResults: "Summary results",
  ipdSharingStatement: "IPD sharing statement",
};

/** The record as it will be frozen, with (for an amendment) which items change. */
function Review({ ref, record, initial, attachments }: ReviewProps) {
  const entries = Object.entries(record).filter(([, value]) => value !== undefined);
  const changed = initial
    ? Object.keys(REVIEW_LABELS).filter(
        (key) => JSON.stringify((record as Record<string, unknown>)[key]) !== JSON.stringify((initial as Record<string, unknown>)[key]),
      )
    : [];
  const outcomes = (list: Array<{ measure: string; timeFrame: string }>) => list.map((o) => `${o.measure} (${o.timeFrame})`).join("; ");
  return (
    <section ref={ref} tabIndex={-1} aria-labelledby="trial-review" className="rounded-md border border-sky-300 bg-sky-50 p-4 dark:border-sky-800 dark:bg-sky-950">
      <h2 id="trial-review" className="text-lg font-semibold">
        Review before registering
      </h2>
      <p className="mt-1 text-sm">
        Once registered, this version is frozen, time-stamped on chain and public. Changes later are new, public versions.
      </p>
      {initial ? (
        <p className="mt-2 text-sm" data-testid="review-changes">
          {changed.length === 0 ? "Nothing changed yet." : `Changes in this amendment: ${changed.map((key) => REVIEW_LABELS[key]).join(", ")}.`}
        </p>
      ) : null}
      <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Public title</dt>
        <dd>{record.publicTitle}</dd>
        <dt className="font-medium">Primary sponsor</dt>
        <dd>{record.primarySponsor}</dd>
        <dt className="font-medium">Primary outcomes</dt>
        <dd>{outcomes(record.primaryOutcomes)}</dd>
        <dt className="font-medium">Secondary outcomes</dt>
        <dd>{outcomes(record.secondaryOutcomes) || "—"}</dd>
        <dt className="font-medium">Target sample size</dt>
        <dd>{String(record.targetSampleSize)}</dd>
        <dt className="font-medium">Countries</dt>
        <dd>{record.countries.join(", ")}</dd>
        {attachments.map((a) => (
          <Fragment key={a.digest}>
            <dt className="font-medium">Attached</dt>
            <dd>
              {a.name} <span className="font-mono text-xs break-all">{a.digest}</span>
            </dd>
          </Fragment>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">{entries.length} items of the WHO Trial Registration Data Set are filled in.</p>
    </section>
  );
}
