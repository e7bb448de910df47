import { describe, expect, it } from "vitest";
import { findUserIdByEmail, getActiveSessionUser, getCredentials, getSessionUser } from "@/lib/auth/data";
import { markEmailVerified } from "@/lib/auth/mutations";
import { changePassword, registerAccount, sendSignInLink, signUp, verifyCredentials } from "@/lib/auth/service";
import { AppError } from "@/lib/errors";
import { listDevMail } from "@/lib/mail/data";
import { SIGN_IN_LIMITS } from "@/lib/rate-limit/service";
import { followLink, requestLink } from "@/scripts/test/auth-endpoints";
import { uniqueEmail } from "@/scripts/test/support";

const PASSWORD = "correct horse battery";

/** An account whose owner has confirmed the address. */
async function confirmedAccount(label: string, password = PASSWORD) {
  const email = uniqueEmail(label);
  const user = await signUp({ name: label, email, password, accountType: "SPONSOR" });
  await markEmailVerified(user.id);
  return { ...user, email };
}

/** A client address of its own for one test, so the per-address limits of tests never meet. */
const someAddress = () => `203.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("accounts", () => {
  it("signs up a researcher with an argon2id hash and the researcher role", async () => {
    const email = uniqueEmail("researcher");
    const user = await signUp({ name: "Rae", email, password: PASSWORD, accountType: "RESEARCHER", institution: "Test University" });
    await markEmailVerified(user.id);
    const session = await getSessionUser(user.id);
    expect(session).toMatchObject({ email, name: "Rae", roles: ["researcher"] });
    const signedIn = await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.1" });
    expect(signedIn?.id).toBe(user.id);
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const { email } = await confirmedAccount("known");
    expect(await verifyCredentials({ email, password: "wrong password here", address: "203.0.113.3" })).toBeNull();
    expect(await verifyCredentials({ email: uniqueEmail("unknown"), password: PASSWORD, address: "203.0.113.3" })).toBeNull();
  });

  it("locks the account for the client that failed, not for the owner elsewhere", async () => {
    const { email } = await confirmedAccount("locked");
    const attacker = someAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.accountClient.max; i++) {
      expect(await verifyCredentials({ email, password: `wrong-${i}-password`, address: attacker })).toBeNull();
    }
    await expect(verifyCredentials({ email, password: PASSWORD, address: attacker })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
    });
    // The owner, from their own address, signs in: five failures elsewhere do not lock them out.
    expect(await verifyCredentials({ email, password: PASSWORD, address: someAddress() })).not.toBeNull();
  });

  it("limits failures per account from all addresses, more slowly", async () => {
    const { email } = await confirmedAccount("distributed");
    for (let i = 0; i < SIGN_IN_LIMITS.account.max; i++) {
      await verifyCredentials({ email, password: `guess number ${i}`, address: `10.${i >> 8}.${i & 255}.7` });
    }
    const attempt = verifyCredentials({ email, password: PASSWORD, address: someAddress() });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(verifyCredentials({ email, password: PASSWORD, address: someAddress() })).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("limits failures per address across accounts", async () => {
    const address = someAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.address.max; i++) {
      await verifyCredentials({ email: uniqueEmail("spray"), password: "password spraying", address });
    }
    await expect(verifyCredentials({ email: uniqueEmail("spray"), password: "x".repeat(12), address })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  it("changes a password only with the current one", async () => {
    const { id, email } = await confirmedAccount("change");
    await expect(
      changePassword({ userId: id, currentPassword: "not the password", newPassword: "a brand new password" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.9" })).not.toBeNull();

    await changePassword({ userId: id, currentPassword: PASSWORD, newPassword: "a brand new password" });
    expect(await verifyCredentials({ email, password: PASSWORD, address: "203.0.113.9" })).toBeNull();
    expect(await verifyCredentials({ email, password: "a brand new password", address: "203.0.113.9" })).not.toBeNull();
  });
});

describe("email confirmation", () => {
  it("an unconfirmed account cannot sign in or hold a session until its address is confirmed", async () => {
    const email = uniqueEmail("unconfirmed");
    const { id } = await signUp({ name: "Uncon Firmed", email, password: PASSWORD, accountType: "SPONSOR" });
    await expect(verifyCredentials({ email, password: PASSWORD, address: someAddress() })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("Confirm your email address") as unknown,
    });
    // What every request's session is built from (lib/auth/config.ts jwt callback).
    expect(await getActiveSessionUser(id)).toBeNull();
    await markEmailVerified(id);
    expect(await getActiveSessionUser(id)).toMatchObject({ id, roles: ["sponsor"] });
    expect(await verifyCredentials({ email, password: PASSWORD, address: someAddress() })).toMatchObject({ id });
  });
});

describe("sign-up", () => {
  const input = (email: string, password = PASSWORD) => ({ name: "New Person", email, password, accountType: "SPONSOR" as const });

  it("answers the same for a new and a taken address, and mails each owner what happened", async () => {
    const { email: taken } = await confirmedAccount("taken");
    const fresh = uniqueEmail("fresh");
    const confirmations: string[] = [];
    const sendConfirmation = async (email: string) => {
      confirmations.push(email);
    };
    const address = someAddress();
    await expect(registerAccount(input(fresh), { address, sendConfirmation })).resolves.toBeUndefined();
    await expect(registerAccount(input(taken, "the intruder's password"), { address, sendConfirmation })).resolves.toBeUndefined();

    expect(confirmations).toEqual([fresh]); // the new address gets its confirmation link
    expect((await findUserIdByEmail(fresh))?.emailVerified).toBeNull();
    const notices = await listDevMail(taken);
    expect(notices.map((m) => m.subject)).toEqual(["Someone tried to create a TrialLedger account with your address"]);
    // The taken account is unchanged: its owner's password still works, the intruder's does not.
    expect(await verifyCredentials({ email: taken, password: PASSWORD, address: someAddress() })).not.toBeNull();
    expect(await verifyCredentials({ email: taken, password: "the intruder's password", address: someAddress() })).toBeNull();
  });

  /** Signs up through Auth.js's real link machinery and returns the link mailed for this sign-up. */
  async function signUpWithLink(email: string, password: string, name: string): Promise<string> {
    const address = someAddress();
    await registerAccount({ ...input(email, password), name }, { address, sendConfirmation: (to) => requestLink(to, address) });
    const [mail] = await listDevMail(email, 1);
    expect(mail?.subject).toBe("Confirm your email address for TrialLedger");
    return mail?.link ?? "";
  }

  for (const order of ["squatter first", "squatter second"] as const) {
    it(`a squatter's sign-up never sets the owner's password (${order})`, async () => {
      const email = uniqueEmail(order.replace(" ", "-"));
      const squatter = "the squatter's password";
      const owner = "the owner's own password";
      let ownerLink: string;
      if (order === "squatter first") {
        await signUpWithLink(email, squatter, "Squat Ter");
        ownerLink = await signUpWithLink(email, owner, "Own Er");
      } else {
        ownerLink = await signUpWithLink(email, owner, "Own Er");
        await signUpWithLink(email, squatter, "Squat Ter");
      }
      // Before any link is followed the account holds no password at all.
      expect((await getCredentials(email))?.passwordHash).toBeNull();

      const followed = await followLink(ownerLink);
      expect(followed.status).toBe(302);
      expect(followed.headers.get("location")).not.toContain("error");

      const account = await findUserIdByEmail(email);
      expect(account?.emailVerified).not.toBeNull();
      expect(account?.name).toBe("Own Er"); // the details of the sign-up whose link was followed
      expect(await verifyCredentials({ email, password: owner, address: someAddress() })).not.toBeNull();
      expect(await verifyCredentials({ email, password: squatter, address: someAddress() })).toBeNull();
    });
  }

  it("the first link followed decides: the other sign-ups' links stop working and change nothing", async () => {
    const email = uniqueEmail("two-links");
    const first = await signUpWithLink(email, "the first sign-up's password", "First One");
    const second = await signUpWithLink(email, "the second sign-up's password", "Second One");
    expect((await followLink(first)).headers.get("location")).not.toContain("error");
    const late = await followLink(second);
    expect(late.headers.get("location")).toContain("error=Verification");
    expect((await findUserIdByEmail(email))?.name).toBe("First One");
    expect(await verifyCredentials({ email, password: "the first sign-up's password", address: someAddress() })).not.toBeNull();
    expect(await verifyCredentials({ email, password: "the second sign-up's password", address: someAddress() })).toBeNull();
  });

  it("tells the latest pending sign-up's right password to confirm the address first", async () => {
    const email = uniqueEmail("pending");
    await signUpWithLink(email, "a pending sign-up's password", "Pen Ding");
    await expect(verifyCredentials({ email, password: "a pending sign-up's password", address: someAddress() })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await verifyCredentials({ email, password: "some other password", address: someAddress() })).toBeNull();
  });

  it("limits sign-ups per client address", async () => {
    const address = someAddress();
    const sendConfirmation = async () => undefined;
    for (let i = 0; i < SIGN_IN_LIMITS.signUp.max; i++) {
      await registerAccount(input(uniqueEmail("many")), { address, sendConfirmation });
    }
    await expect(registerAccount(input(uniqueEmail("many")), { address, sendConfirmation })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });
});

describe("sign-in links", () => {
  it("counts every mail to a recipient, whoever asks and whether or not the address has an account", async () => {
    const { email } = await confirmedAccount("linked");
    const url = "http://localhost/api/auth/callback/email?token=t";
    for (let i = 0; i < SIGN_IN_LIMITS.magicLink.max; i++) await sendSignInLink({ email, url, address: someAddress() });
    await expect(sendSignInLink({ email, url, address: someAddress() })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await listDevMail(email)).toHaveLength(SIGN_IN_LIMITS.magicLink.max);

    const nobody = uniqueEmail("nobody");
    for (let i = 0; i < SIGN_IN_LIMITS.magicLink.max; i++) await sendSignInLink({ email: nobody, url, address: someAddress() });
    await expect(sendSignInLink({ email: nobody, url, address: someAddress() })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await listDevMail(nobody)).toEqual([]);
  });

  it("mails an unconfirmed account no sign-in link (only its own sign-up's confirmation)", async () => {
    const email = uniqueEmail("nolink");
    await signUp({ name: "No Link", email, password: PASSWORD, accountType: "SPONSOR" });
    await sendSignInLink({ email, url: "http://localhost/x", address: someAddress() });
    expect(await listDevMail(email)).toEqual([]);
  });
});
