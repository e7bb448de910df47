import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with OWASP's second recommended setting (19 MiB, 2 passes, 1 lane): about 25 ms on one
 * core here, so a sign-in costs little while an offline attack on a leaked hash costs a lot.
 */
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, OPTIONS);
}

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

/**
 * A hash to verify against when the account does not exist, so that "no such account" and
 * "wrong password" take the same time and the response time does not reveal which emails exist.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword("not-a-real-password-for-timing");
  return dummy;
}
