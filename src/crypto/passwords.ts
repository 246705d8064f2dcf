import { Algorithm, hash, verify } from "@node-rs/argon2";

/*
 * Coordinator passwords, hashed with argon2id. The parameters are OWASP's first recommended set for
 * argon2id (19 MiB of memory, 2 passes, 1 lane): memory-hard enough that a leaked database is expensive to
 * crack on GPUs, yet about 30 ms on one core here, so a login stays quick on a small two-core server and a
 * burst of attempts (already capped by the rate limiter) cannot exhaust its memory. They are written out
 * rather than left to the library's defaults so an upgrade cannot silently weaken them; every hash records
 * its own parameters (PHC string), so raising them later keeps old hashes verifiable.
 */
const ARGON2ID = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Long enough for a passphrase; short enough that nobody can make the server hash megabytes. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

/** False (never an exception) for a wrong password or a malformed stored hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same work as checking a real password, for an unknown or disabled account, so the time a
 * failed login takes does not tell whether the address has an account here.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword("decoy password that no account has");
  await verifyPassword(await decoy, password);
  return false;
}
