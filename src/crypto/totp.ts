import { randomInt, timingSafeEqual } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { sha256 } from "./tokens.ts";

/*
 * Time-based one-time passwords (RFC 6238) with the parameters every authenticator app supports: SHA-1,
 * six digits, 30-second steps. A code is accepted one step either side of now, to forgive a phone clock
 * that is a little off, and the step it matched is returned so the caller can refuse it a second time.
 */

const PERIOD_SECONDS = 30;

export function generateTotpSecret(): string {
  // 160 bits, the size RFC 4226 recommends for the shared key.
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, issuer = "", account = ""): TOTP {
  return new TOTP({
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
  });
}

/**
 * The otpauth:// URI an authenticator app imports. The issuer names this server, so someone with accounts
 * on two coalitions' servers can tell the entries apart.
 */
export function totpUri(secret: string, issuer: string, account: string): string {
  return totpFor(secret, issuer, account).toString();
}

/** The code an authenticator shows at `at`; tests use it to act as the phone. */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret).generate({ timestamp: at.getTime() });
}

/** Whether `code` is a well-formed TOTP code rather than a recovery code (spaces are forgiven). */
export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s+/g, ""));
}

/**
 * Returns the time step the code belongs to when it is valid at `at` (±1 step) and later than
 * `lastUsedStep`; null otherwise. Refusing steps already used means a code seen over someone's shoulder
 * or replayed from a captured request cannot open a second session.
 */
export function acceptTotpCode(
  secret: string,
  code: string,
  at: Date,
  lastUsedStep: number | null,
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpFor(secret);
  const delta = totp.validate({ token, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = totp.counter({ timestamp: at.getTime() }) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

/*
 * Recovery codes: ten, each about 79 random bits written as four groups of four characters from an alphabet
 * without look-alikes (no 0/o, 1/l/i). They are shown once and stored only as SHA-256 hashes; that many bits are
 * far beyond offline guessing, so no slow hash is needed.
 */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const RECOVERY_CODE_COUNT = 10;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    // randomInt draws without the modulo bias of mapping bytes onto 31 characters.
    const chars = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
  });
}

/** People copy codes with spaces, dashes or capitals; all of those count as the same code. */
function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function hashRecoveryCode(code: string): string {
  return sha256(`recovery:${normaliseRecoveryCode(code)}`);
}

/**
 * Looks the code up among the stored hashes; returns the hashes that remain once it is used up, or null
 * when it is not one of them. Each code therefore works exactly once.
 */
export function spendRecoveryCode(storedHashes: string[], code: string): string[] | null {
  const given = Buffer.from(hashRecoveryCode(code));
  const index = storedHashes.findIndex((stored) => {
    const candidate = Buffer.from(stored);
    return candidate.length === given.length && timingSafeEqual(candidate, given);
  });
  return index === -1 ? null : storedHashes.filter((_, i) => i !== index);
}
