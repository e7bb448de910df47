"use client";

/**
 * The signing step of a registration or amendment (21 CFR Part 11 §11.50, §11.200): who signs, the
 * meaning of the signature (the exact sentence the server checks and the log records,
 * lib/registry/signature.ts) and the signer's password, re-entered. Shown with the review, so the
 * person signs what they have just read.
 */
export function SignatureFields(props: {
  meaning: string;
  signer: { name: string; email: string };
  password: string;
  onPassword: (password: string) => void;
  error: string | undefined;
}) {
  return (
    <fieldset className="flex flex-col gap-2 rounded-md border border-slate-300 p-4 dark:border-slate-600" aria-describedby="signature-meaning">
      <legend className="px-1 text-lg font-semibold">Sign</legend>
      <p className="text-sm">
        Signing as <strong>{props.signer.name}</strong> ({props.signer.email}). Your signature, its time and its meaning are recorded in the public
        transparency log.
      </p>
      <blockquote id="signature-meaning" data-testid="signature-meaning" className="border-l-4 border-sky-600 pl-3 font-medium">
        {props.meaning}
      </blockquote>
      <label htmlFor="signature-password" className="text-sm font-medium">
        Your password, to sign
      </label>
      <input
        id="signature-password"
        name="signature.password"
        type="password"
        autoComplete="current-password"
        required
        value={props.password}
        onChange={(e) => props.onPassword(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? "signature-password-error" : undefined}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 sm:max-w-sm dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
      />
      {props.error ? (
        <p id="signature-password-error" className="text-sm text-red-700 dark:text-red-400">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}
