"use server";

import { cookies } from "next/headers";
import { action } from "@/lib/handler";
import { themeInput } from "@/lib/prefs/schema";

/** Remembers the chosen colour theme for a year; public, it is a display preference. */
export const setThemeAction = action({ name: "prefs.setTheme", access: "public", input: themeInput }, async ({ input }) => {
  (await cookies()).set("theme", input.theme, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax", httpOnly: true });
  return { theme: input.theme };
});
