import type { SignatureInput } from "@/lib/registry/signature";
import { amendTrial, amendmentMeaning, registerTrial, registrationMeaning } from "@/lib/registry/service";

/** The password the integration tests give their sponsor accounts. */
export const TEST_PASSWORD = "long enough password";

/** A signature on the registration of `record` for `orgId`, as the form makes it: the password re-entered, the meaning affirmed. */
export async function signedRegistration(orgId: string, record: unknown, password: string = TEST_PASSWORD): Promise<SignatureInput> {
  return { password, meaning: await registrationMeaning(orgId, record) };
}

/** A signature on the next amendment of the trial to `record`. */
export async function signedAmendment(registrationNumber: string, record: unknown, password: string = TEST_PASSWORD): Promise<SignatureInput> {
  return { password, meaning: await amendmentMeaning(registrationNumber, record) };
}

/** `registerTrial`, signed with the test password (for tests about something else than signing). */
export async function registerSigned(opts: Omit<Parameters<typeof registerTrial>[0], "signature">, password: string = TEST_PASSWORD) {
  return registerTrial({ ...opts, signature: await signedRegistration(opts.orgId, opts.input, password) });
}

/** `amendTrial`, signed with the test password. */
export async function amendSigned(opts: Omit<Parameters<typeof amendTrial>[0], "signature">, password: string = TEST_PASSWORD) {
  return amendTrial({ ...opts, signature: await signedAmendment(opts.registrationNumber, opts.input, password) });
}
