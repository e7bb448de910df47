"use client";

import { useTransition } from "react";
import { setThemeAction } from "@/lib/prefs/actions";
import { THEMES, type Theme } from "@/lib/prefs/schema";

const LABEL: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

export function ThemeSwitch({ current }: { current: Theme }) {
  const [pending, start] = useTransition();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span>Theme</span>
      <select
        aria-label="Colour theme"
        defaultValue={current}
        disabled={pending}
        onChange={(event) => {
          const theme = event.currentTarget.value;
          start(async () => {
            await setThemeAction({ theme });
            document.documentElement.classList.remove("light", "dark");
            if (theme !== "system") document.documentElement.classList.add(theme);
          });
        }}
        className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {LABEL[t]}
          </option>
        ))}
      </select>
    </label>
  );
}
