// Account events in the transparency log: each writes exactly one entry, in the transaction of its
// change, with its declared public fields only (the e-mail address and name never in clear), and a
// change that fails writes none.
import { describe, expect, it } from "vitest";
import { createUser, createVerificationToken, markEmailVerified, takeVerificationToken } from "@/lib/auth/mutations";
import { hashPassword } from "@/lib/auth/password";
import { signUp, verifyCredentials } from "@/lib/auth/service";
import { entriesSince, logMark, noEntryFrom, onlyEntryOf } from "@/scripts/test/log";
import { uniqueEmail } from "@/scripts/test/support";

const PASSWORD = "correct horse battery";

describe("account events in the log", () => {
  it("logs an account's creation once, its address and name only as a commitment", async () => {
    const email = uniqueEmail("created");
    let id = "";
    const entry = await onlyEntryOf(
      "account.created",
      async () => (id = (await signUp({ name: "Cleo Created", email, password: PASSWORD, accountType: "RESEARCHER", institution: "Test Institute" })).id),
      [email, "Cleo Created"],
    );
    expect(entry.document).toMatchObject({ actor: { type: "anonymous" }, subject: { type: "user", id }, details: { accountType: "RESEARCHER" } });
    expect(entry.privateDetails).toEqual({ email, name: "Cleo Created" });
  });

  it("writes no entry when the address already has an account", async () => {
    const email = uniqueEmail("twice");
    await signUp({ name: "First", email, password: PASSWORD, accountType: "SPONSOR" });
    await noEntryFrom(() => signUp({ name: "Second", email, password: PASSWORD, accountType: "SPONSOR" }));
  });

  it("logs the address confirmed once, however often Auth.js marks it", async () => {
    const email = uniqueEmail("verified");
    const user = await signUp({ name: "Vera", email, password: PASSWORD, accountType: "SPONSOR" });
    const entry = await onlyEntryOf("account.verified", () => markEmailVerified(user.id), [email]);
    expect(entry.document).toMatchObject({ actor: { type: "user", id: user.id }, subject: { type: "user", id: user.id }, details: {} });
    expect(entry.privateDetails).toEqual({ email });
    const mark = await logMark();
    await markEmailVerified(user.id);
    expect(await entriesSince(mark)).toEqual([]);
  });

  it("logs the confirmation a sign-up's own link applies", async () => {
    const email = uniqueEmail("link");
    const user = await createUser({ email, name: "Lin", passwordHash: null, accountType: "SPONSOR" });
    const pending = { name: "Lin Link", accountType: "SPONSOR" as const, passwordHash: await hashPassword(PASSWORD) };
    await createVerificationToken({ identifier: email, token: "hashed-token-1", expires: new Date(Date.now() + 600_000) }, pending);
    const entry = await onlyEntryOf("account.verified", () => takeVerificationToken(email, "hashed-token-1"), [email, "Lin Link"]);
    expect(entry.document.subject).toEqual({ type: "user", id: user.id });
    // The link is spent: following it again confirms (and logs) nothing.
    const mark = await logMark();
    expect(await takeVerificationToken(email, "hashed-token-1")).toBeNull();
    expect(await entriesSince(mark)).toEqual([]);
  });

  it("logs a right password for an unconfirmed address as a failed sign-in, privately saying why", async () => {
    const email = uniqueEmail("unconfirmed");
    const user = await signUp({ name: "Una", email, password: PASSWORD, accountType: "SPONSOR" });
    const address = "203.0.113.77";
    const entry = await onlyEntryOf(
      "auth.sign-in-failed",
      () => verifyCredentials({ email, password: PASSWORD, address }).catch(() => undefined),
      [email, user.id, address],
    );
    expect(entry.privateDetails).toEqual({ email, reason: "unconfirmed-address", userId: user.id, clientAddress: address });
  });
});
