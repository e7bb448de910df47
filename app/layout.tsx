import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { navFor } from "@/app/_components/nav";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { ThemeSwitch } from "@/app/_components/theme-switch";
import { currentSession } from "@/lib/auth/session";
import { themeOf } from "@/lib/prefs/schema";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "TrialLedger", template: "%s · TrialLedger" },
  description:
    "Clinical-trial registration, anonymous participant consent and accountable research data access, verifiable on chain.",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [session, jar] = await Promise.all([currentSession(), cookies()]);
  const theme = themeOf(jar.get("theme")?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme}>
      <body className="min-h-screen bg-white font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-sky-700 focus:px-3 focus:py-2 focus:text-white">
          Skip to content
        </a>
        <header className="border-b border-slate-200 dark:border-slate-800">
          <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              TrialLedger
            </Link>
            <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto">
              <ul className="flex flex-wrap gap-4 text-sm">
                {navFor(session).map((link) => (
                  <li key={link.href}>
                    <Link href={link.href} className="hover:underline">
                      {link.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="flex items-center gap-3">
              <ThemeSwitch current={theme} />
              {session ? (
                <>
                  <span className="hidden text-sm text-slate-600 sm:inline dark:text-slate-400" data-testid="signed-in-as">
                    {session.email}
                  </span>
                  <SignOutButton />
                </>
              ) : (
                <Link href="/sign-in" className="rounded-md bg-sky-700 px-3 py-1 text-sm font-medium text-white hover:bg-sky-800">
                  Sign in
                </Link>
              )}
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {children}
        </main>
        <footer className="mx-auto max-w-5xl px-4 py-8 text-sm text-slate-500">
          TrialLedger — open-source clinical-trial transparency. Participants never need an account.
        </footer>
      </body>
    </html>
  );
}
