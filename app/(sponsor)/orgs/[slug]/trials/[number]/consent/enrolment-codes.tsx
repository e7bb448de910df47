"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { createPortal } from "react-dom";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { qrCodeDataUrl } from "@/app/(sponsor)/orgs/[slug]/trials/[number]/consent/qr-code";
import { generateCodesAction } from "@/lib/consent/actions";
import { ENROLMENT_PATH, enrolmentCodesCsv, enrolmentLink, formatEnrolmentCode } from "@/lib/consent/schema";
import { saveFile } from "@/app/_components/save-file";

/**
 * Generates enrolment codes and hands them over once: as a CSV made in the browser and as a
 * printable sheet of cards with a QR code each. The portal stores only the codes' hashes, so
 * nothing here can be shown again. The enrolment link carries the code in its fragment
 * (#code=…), which browsers never send to a server, so no access log ever holds a code.
 */

type Card = { code: string; formatted: string; url: string; qr: string | null };
type Sheet = { registrationNumber: string; title: string; createdAt: string; enrolPage: string; cards: Card[] };
type Failure = { message: string; fieldErrors: Record<string, string[]> };

const buttonClass =
  "rounded-md border border-slate-400 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800";

function downloadCsv(sheet: Sheet) {
  saveFile(`enrolment-codes-${sheet.registrationNumber}-${sheet.createdAt.slice(0, 10)}.csv`, "text/csv;charset=utf-8", enrolmentCodesCsv(sheet.registrationNumber, sheet.cards));
}

/** One card per code. `print` is the copy the printer gets: black on white, sized in millimetres. */
function Cards({ sheet, print }: { sheet: Sheet; print: boolean }) {
  return (
    <ul
      aria-label={print ? undefined : `Enrolment code cards for ${sheet.registrationNumber}`}
      className={print ? "grid grid-cols-2 gap-[4mm]" : "grid grid-cols-1 gap-4 md:grid-cols-2"}
    >
      {sheet.cards.map((card) => (
        <li
          key={card.code}
          className={
            print
              ? "flex break-inside-avoid flex-col gap-[2mm] border border-dashed border-black p-[4mm] text-black"
              : "flex flex-col gap-2 rounded-md border border-dashed border-slate-400 bg-white p-4 text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
          }
        >
          <p>
            <span className="font-semibold">{sheet.registrationNumber}</span>
            {sheet.title ? <span className="block line-clamp-2 text-sm">{sheet.title}</span> : null}
          </p>
          <p>
            <span className="block text-xs">Enrolment code</span>
            <span className="font-mono text-lg tracking-wide">{card.formatted}</span>
          </p>
          <div className="flex items-start gap-3">
            {card.qr ? (
              <img
                src={card.qr}
                alt={print ? "" : `QR code of the enrolment link for ${card.formatted}`}
                width={112}
                height={112}
                className={print ? "size-[28mm] shrink-0" : "size-28 shrink-0 bg-white"}
              />
            ) : null}
            <p className="text-xs">
              Scan the code with your phone, or open <span className="break-all">{sheet.enrolPage}</span> and type the code. It works once; keep it to
              yourself until you have enrolled.
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function EnrolmentCodes({ registrationNumber, max }: { registrationNumber: string; max: number }) {
  const router = useRouter();
  const [count, setCount] = useState("20");
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [pending, startTransition] = useTransition();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (sheet) headingRef.current?.focus();
  }, [sheet]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await generateCodesAction({ registrationNumber, count });
      if (!result.ok) {
        setFailure({ message: result.error.message, fieldErrors: result.error.fieldErrors ?? {} });
        return;
      }
      const { data } = result;
      const enrolPage = `${window.location.origin}${ENROLMENT_PATH}`;
      const cards = await Promise.all(
        data.codes.map(async (code): Promise<Card> => {
          const url = enrolmentLink(window.location.origin, code);
          const qr = await qrCodeDataUrl(url).catch(() => null);
          return { code, formatted: formatEnrolmentCode(code), url, qr };
        }),
      );
      setFailure(null);
      setSheet({ registrationNumber: data.registrationNumber, title: data.title, createdAt: new Date(data.createdAt).toISOString(), enrolPage, cards });
      router.refresh();
    });
  }

  const countErrors = failure?.fieldErrors.count;

  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm">
        Each code enrols one participant, once. The portal keeps only a hash of each code, never the code itself, so the codes are shown here once:
        download or print them before you leave this page.
      </p>
      <form onSubmit={submit} noValidate aria-label="Generate enrolment codes" className="flex max-w-md flex-col gap-4">
        <FormMessage error={failure ? `The codes were not generated. ${countErrors ? "Check the number of codes." : failure.message}` : undefined} />
        <Field
          name="count"
          label="How many codes?"
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          step={1}
          required
          value={count}
          onChange={(e) => setCount(e.target.value)}
          hint={sheet ? `Between 1 and ${max}. Generating again replaces the codes shown below.` : `Between 1 and ${max}.`}
          errors={countErrors}
        />
        <div>
          <SubmitButton pending={pending}>Generate codes</SubmitButton>
        </div>
      </form>

      <div role="status" className="text-sm">
        {sheet ? `Generated ${sheet.cards.length} ${sheet.cards.length === 1 ? "code" : "codes"}. They are shown only now.` : null}
      </div>

      {sheet ? (
        <section aria-labelledby="enrolment-sheet-heading" className="flex flex-col gap-4">
          <h3 id="enrolment-sheet-heading" ref={headingRef} tabIndex={-1} className="text-base font-semibold">
            {sheet.cards.length} new enrolment {sheet.cards.length === 1 ? "code" : "codes"} for {sheet.registrationNumber}
          </h3>
          <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            These codes cannot be shown again: the portal did not keep them. Download the CSV or print the sheet now.
          </p>
          <div className="flex flex-wrap gap-3">
            <button type="button" className={buttonClass} onClick={() => downloadCsv(sheet)}>
              Download CSV
            </button>
            <button type="button" className={buttonClass} onClick={() => window.print()}>
              Print
            </button>
          </div>
          <Cards sheet={sheet} print={false} />
          {/* The printer's copy sits directly in <body>, so print CSS can hide everything else (the
              site header, this page) and lay the cards out on the page without any of it. */}
          {createPortal(
            <div className="hidden bg-white text-black print:block print:[body:has(&)>*:not(&)]:hidden">
              <Cards sheet={sheet} print />
            </div>,
            document.body,
          )}
        </section>
      ) : null}
    </div>
  );
}
