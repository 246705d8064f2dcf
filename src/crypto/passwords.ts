import { availableParallelism } from "node:os";
import { Algorithm, hash, verify } from "@node-rs/argon2";
import { AppError } from "../domain/app-error.ts";

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

/*
 * At most one argon2 computation per core runs at once, and a short queue waits for them; past that the
 * server answers "busy" at once. A flood of sign-in attempts from many addresses (each within its own
 * limit) then costs a bounded share of the machine, not all of it, and queues no unbounded memory (19 MiB
 * per computation).
 */
const MAX_RUNNING = Math.max(1, availableParallelism() - 1);
const MAX_WAITING = 32;
let running = 0;
let computed = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) throw new AppError("unavailable");
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    computed++;
    return await work();
  } finally {
    // The slot passes straight to the next in line, if any.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** How many argon2 computations this process has started: lets tests see that a refusal spent none. */
export function argon2Computations(): number {
  return computed;
}

export function hashPassword(password: string): Promise<string> {
  return inSlot(() => hash(password, ARGON2ID));
}

/** False (never an exception) for a wrong password or a malformed stored hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return inSlot(async () => {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  });
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
