// Sessions through Auth.js's real endpoints (CSRF, credentials callback, session, sign-out), built
// from the portal's own configuration: a token replayed after it was ended must yield no session.
// Time is driven through the configuration's injectable clock, never by sleeping.
import { randomBytes } from "node:crypto";
import NextAuth from "next-auth";
import { decode, encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { authConfig } from "@/lib/auth/config";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "@/lib/auth/cookies";
import { createUser, markEmailVerified } from "@/lib/auth/mutations";
import { hashPassword } from "@/lib/auth/password";
import { changePassword } from "@/lib/auth/service";
import { type Env, env } from "@/lib/env";
import { endOtherSessions } from "@/lib/sessions/service";
import { entriesSince, logMark, noEntryFrom, onlyEntryOf } from "@/scripts/test/log";
import { uniqueEmail } from "@/scripts/test/support";

const PASSWORD = "correct horse battery";
const MINUTE = 60_000;

type Jar = Map<string, string>;

/** One portal (Auth.js built from `config`, with a clock the test moves) and a browser-like client. */
function portal(config: Env = env()) {
  const clock = { now: Date.now() };
  const { handlers } = NextAuth(authConfig(config, () => new Date(clock.now)));
  const base = config.authUrl;
  // Its own address per portal, so the sign-in rate limit of one test never touches another.
  const address = `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

  async function call(method: "GET" | "POST", path: string, jar: Jar, form?: Record<string, string>) {
    const headers = new Headers({ "x-forwarded-for": address });
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    if (form) headers.set("content-type", "application/x-www-form-urlencoded");
    const request = new NextRequest(`${base}/api/auth/${path}`, { method, headers, body: form ? new URLSearchParams(form) : null });
    const response = await (method === "GET" ? handlers.GET(request) : handlers.POST(request));
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ""] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      if (value === "" || /max-age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return { response, setCookies };
  }

  async function csrf(jar: Jar): Promise<{ csrfToken: string; setCookies: string[] }> {
    const { response, setCookies } = await call("GET", "csrf", jar);
    return { csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken, setCookies };
  }

  return {
    clock,
    call,
    /** Signs in with a password; returns the browser's cookies and every Set-Cookie it was sent. */
    async signIn(email: string, password = PASSWORD) {
      const jar: Jar = new Map();
      const first = await csrf(jar);
      const { setCookies } = await call("POST", "callback/credentials", jar, { email, password, csrfToken: first.csrfToken });
      return { jar, setCookies: [...first.setCookies, ...setCookies] };
    },
    /** Whom the cookies in `jar` are signed in as, by Auth.js's own session endpoint; null for nobody. */
    async session(jar: Jar): Promise<{ id: string; email: string } | null> {
      const { response } = await call("GET", "session", new Map(jar));
      const body = (await response.json()) as { user?: { id: string; email: string } } | null;
      return body?.user ?? null;
    },
    async signOut(jar: Jar): Promise<void> {
      const { csrfToken } = await csrf(jar);
      await call("POST", "signout", jar, { csrfToken });
    },
    /** The server-side session id inside the session cookie of `jar`. */
    async sid(jar: Jar): Promise<string> {
      const name = jar.has(SECURE_SESSION_COOKIE) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
      const token = await decode({ token: jar.get(name), secret: config.AUTH_SECRET ?? "", salt: name });
      if (typeof token?.sid !== "string") throw new Error("the session cookie carries no sid");
      return token.sid;
    },
  };
}

async function account() {
  const email = uniqueEmail("sessions");
  const user = await createUser({ email, name: "Sam Session", passwordHash: await hashPassword(PASSWORD), accountType: "SPONSOR" });
  await markEmailVerified(user.id);
  return { ...user, email };
}

describe("sessions", () => {
  it("signs in, and a token replayed after sign-out yields no session", async () => {
    const app = portal();
    const user = await account();
    const { jar } = await app.signIn(user.email);
    expect(await app.session(jar)).toMatchObject({ id: user.id, email: user.email });
    const stolen = new Map(jar); // a copy of the cookie, taken before sign-out

    await app.signOut(jar);
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    expect(await app.session(stolen)).toBeNull();
  });

  it("a password change ends the account's other sessions and keeps the one that changed it", async () => {
    const app = portal();
    const user = await account();
    const laptop = (await app.signIn(user.email)).jar;
    const phone = (await app.signIn(user.email)).jar;
    expect(await app.session(phone)).not.toBeNull();

    await changePassword({ userId: user.id, currentPassword: PASSWORD, newPassword: "a brand new password", keepSessionId: await app.sid(laptop) });
    expect(await app.session(phone)).toBeNull();
    expect(await app.session(laptop)).toMatchObject({ id: user.id });
  });

  it("sign out everywhere ends every other session of the account, and only of that account", async () => {
    const app = portal();
    const user = await account();
    const other = await account();
    const here = (await app.signIn(user.email)).jar;
    const elsewhere = [(await app.signIn(user.email)).jar, (await app.signIn(user.email)).jar];
    const someoneElse = (await app.signIn(other.email)).jar;

    expect(await endOtherSessions(user.id, await app.sid(here))).toBe(2);
    for (const jar of elsewhere) expect(await app.session(jar)).toBeNull();
    expect(await app.session(here)).toMatchObject({ id: user.id });
    expect(await app.session(someoneElse)).toMatchObject({ id: other.id });
  });

  it("ends a session left unused for the idle limit", async () => {
    const app = portal();
    const user = await account();
    const { jar } = await app.signIn(user.email);
    const idle = env().SESSION_IDLE_MINUTES * MINUTE;

    app.clock.now += idle - MINUTE; // used again just before the limit: the clock starts over
    expect(await app.session(jar)).not.toBeNull();
    app.clock.now += idle - MINUTE;
    expect(await app.session(jar)).not.toBeNull();
    app.clock.now += idle;
    expect(await app.session(jar)).toBeNull();
    app.clock.now -= idle; // the row is gone: going back in time does not revive it
    expect(await app.session(jar)).toBeNull();
  });

  it("ends a busy session at its absolute lifetime", async () => {
    const app = portal();
    const user = await account();
    const { jar } = await app.signIn(user.email);
    const absolute = env().SESSION_ABSOLUTE_HOURS * 60 * MINUTE;
    const step = (env().SESSION_IDLE_MINUTES - 1) * MINUTE;

    let used = 0;
    while (used + step < absolute) {
      app.clock.now += step;
      used += step;
      expect(await app.session(jar)).not.toBeNull();
    }
    app.clock.now += absolute - used;
    expect(await app.session(jar)).toBeNull();
  });

  it("refuses a token that carries no session id (issued before sessions had rows)", async () => {
    const app = portal();
    const user = await account();
    const { jar } = await app.signIn(user.email);
    const salt = SESSION_COOKIE;
    const secret = env().AUTH_SECRET ?? "";
    const token = await decode({ token: jar.get(salt), secret, salt });
    const withoutSid = { ...token, sid: undefined };
    const forged = new Map([[salt, await encode({ token: withoutSid, secret, salt })]]);
    expect(await app.session(forged)).toBeNull();
  });

  it("in production uses __Host-/__Secure- cookies, all Secure, and they carry the session", async () => {
    const production: Env = { ...env(), APP_ENV: "production", AUTH_URL: "https://trialledger.example", authUrl: "https://trialledger.example" };
    const app = portal(production);
    const user = await account();
    const { jar, setCookies } = await app.signIn(user.email);

    const names = setCookies.map((line) => line.slice(0, line.indexOf("=")));
    expect(names).toEqual(expect.arrayContaining(["__Host-authjs.csrf-token", SECURE_SESSION_COOKIE]));
    for (const line of setCookies) {
      expect(line, line).toMatch(/^__(Host|Secure)-/);
      expect(line, line).toMatch(/;\s*Secure/i);
      // __Host- cookies are refused by browsers unless Path=/ and no Domain.
      if (line.startsWith("__Host-")) {
        expect(line).toMatch(/;\s*Path=\/(;|$)/i);
        expect(line).not.toMatch(/;\s*Domain=/i);
      }
    }
    expect(await app.session(jar)).toMatchObject({ id: user.id });
  });

  describe("the transparency log", () => {
    it("logs a sign-in through Auth.js once, with its method, and nothing of the address in clear", async () => {
      const app = portal();
      const user = await account();
      const entry = await onlyEntryOf("auth.signed-in", () => app.signIn(user.email), [user.email, "Sam Session"]);
      expect(entry.document).toMatchObject({ actor: { type: "user", id: user.id }, subject: { type: "user", id: user.id }, details: { method: "password" } });
    });

    it("logs a failed password sign-in with nothing public about the address or account", async () => {
      const app = portal();
      const user = await account();
      const entry = await onlyEntryOf("auth.sign-in-failed", () => app.signIn(user.email, "not the password at all"), [user.email, user.id]);
      expect(entry.document).toMatchObject({ actor: { type: "anonymous" }, details: { method: "password" } });
      expect(entry.privateDetails).toMatchObject({ email: user.email, reason: "wrong-password", userId: user.id });
      const unknown = uniqueEmail("nobody");
      const second = await onlyEntryOf("auth.sign-in-failed", () => app.signIn(unknown, PASSWORD), [unknown]);
      expect(second.privateDetails).toMatchObject({ email: unknown, reason: "unknown-account" });
    });

    it("logs a sign-out once; signing the same session out again logs nothing", async () => {
      const app = portal();
      const user = await account();
      const { jar } = await app.signIn(user.email);
      const stolen = new Map(jar);
      const entry = await onlyEntryOf("auth.signed-out", () => app.signOut(jar));
      expect(entry.document).toMatchObject({ actor: { type: "user", id: user.id }, details: {} });
      const mark = await logMark();
      await app.signOut(stolen);
      expect((await entriesSince(mark)).map((e) => e.kind)).toEqual([]);
    });

    it("logs a password change and the sessions it ended; a wrong current password changes and logs nothing", async () => {
      const app = portal();
      const user = await account();
      const laptop = (await app.signIn(user.email)).jar;
      await app.signIn(user.email);
      await noEntryFrom(() => changePassword({ userId: user.id, currentPassword: "not the password", newPassword: "a brand new password" }));

      const mark = await logMark();
      await changePassword({
        userId: user.id,
        currentPassword: PASSWORD,
        newPassword: "a brand new password",
        keepSessionId: await app.sid(laptop),
        clientAddress: "198.51.100.23",
      });
      const written = await entriesSince(mark);
      expect(written.map((e) => e.kind)).toEqual(["account.password-changed", "sessions.revoked"]);
      expect(written[0]?.privateDetails).toEqual({ clientAddress: "198.51.100.23" });
      expect(new TextDecoder().decode(written[0]?.body)).not.toContain("198.51.100.23");
      expect(written[1]?.document.details).toEqual({ count: 1, reason: "password-change" });
    });

    it("logs sign out everywhere with how many sessions ended", async () => {
      const app = portal();
      const user = await account();
      const here = (await app.signIn(user.email)).jar;
      await app.signIn(user.email);
      await app.signIn(user.email);
      const sid = await app.sid(here);
      const entry = await onlyEntryOf("sessions.revoked", () => endOtherSessions(user.id, sid));
      expect(entry.document).toMatchObject({ actor: { type: "user", id: user.id }, details: { count: 2, reason: "sign-out-everywhere" } });
    });
  });
});
