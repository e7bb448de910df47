import { describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import { changePassword, signUp, verifyCredentials } from "@/lib/auth/service";
import { AppError } from "@/lib/errors";
import { SIGN_IN_LIMITS } from "@/lib/rate-limit/service";
import { uniqueEmail } from "@/scripts/test/support";

const PASSWORD = "correct horse battery";

describe("accounts", () => {
  it("signs up a researcher with an argon2id hash and the researcher role", async () => {
    const email = uniqueEmail("researcher");
    const user = await signUp({ name: "Rae", email, password: PASSWORD, accountType: "RESEARCHER", institution: "Test University" });
    const session = await getSessionUser(user.id);
    expect(session).toMatchObject({ email, name: "Rae", roles: ["researcher"] });
    const signedIn = await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.1" });
    expect(signedIn?.id).toBe(user.id);
  });

  it("refuses a second account with the same email, changing nothing", async () => {
    const email = uniqueEmail("dup");
    await signUp({ name: "First", email, password: PASSWORD, accountType: "SPONSOR" });
    const second = signUp({ name: "Second", email, password: "another password!", accountType: "SPONSOR" });
    await expect(second).rejects.toMatchObject({ code: "CONFLICT" });
    // The first account's password still works, the second's does not.
    expect(await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.2" })).not.toBeNull();
    expect(await verifyCredentials({ email, password: "another password!", address: "203.0.113.2" })).toBeNull();
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const email = uniqueEmail("known");
    await signUp({ name: "Known", email, password: PASSWORD, accountType: "SPONSOR" });
    expect(await verifyCredentials({ email, password: "wrong password here", address: "203.0.113.3" })).toBeNull();
    expect(await verifyCredentials({ email: uniqueEmail("unknown"), password: PASSWORD, address: "203.0.113.3" })).toBeNull();
  });

  it("locks an account after repeated failures, even for the right password", async () => {
    const email = uniqueEmail("locked");
    await signUp({ name: "Locked", email, password: PASSWORD, accountType: "SPONSOR" });
    for (let i = 0; i < SIGN_IN_LIMITS.account.max; i++) {
      expect(await verifyCredentials({ email, password: `wrong-${i}-password`, address: `198.51.100.${i}` })).toBeNull();
    }
    const attempt = verifyCredentials({ email, password: PASSWORD, address: "198.51.100.200" });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(verifyCredentials({ email, password: PASSWORD, address: "198.51.100.201" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
    });
  });

  it("limits failures per address across accounts", async () => {
    const address = `192.0.2.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < SIGN_IN_LIMITS.address.max; i++) {
      await verifyCredentials({ email: uniqueEmail("spray"), password: "password spraying", address });
    }
    await expect(verifyCredentials({ email: uniqueEmail("spray"), password: "x".repeat(12), address })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  it("changes a password only with the current one", async () => {
    const email = uniqueEmail("change");
    const user = await signUp({ name: "Change", email, password: PASSWORD, accountType: "SPONSOR" });
    await expect(
      changePassword({ userId: user.id, currentPassword: "not the password", newPassword: "a brand new password" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.9" })).not.toBeNull();

    await changePassword({ userId: user.id, currentPassword: PASSWORD, newPassword: "a brand new password" });
    expect(await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.9" })).toBeNull();
    expect(await verifyCredentials({ email, password: "a brand new password", address: "203.0.113.9" })).not.toBeNull();
  });
});
