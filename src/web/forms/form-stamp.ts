import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * A signed timestamp in the sign form. A person needs more than a few seconds to fill it in; a script
 * posting straight away does not, and a stamp older than a day is a page left open (or replayed) long
 * enough that its details may be stale. The signature (keyed with the server secret, bound to the letter)
 * stops anyone from writing their own stamp.
 */

export const FASTEST_HUMAN_MS = 3_000;
export const OLDEST_FORM_MS = 24 * 60 * 60 * 1000;

export type StampCheck = "ok" | "too_fast" | "too_old" | "invalid";

function mac(secret: string, letterId: number, issuedAt: number): string {
  return createHmac("sha256", secret)
    .update(`sign-form:${letterId}:${issuedAt}`)
    .digest("base64url")
    .slice(0, 22);
}

export function issueFormStamp(secret: string, letterId: number, now: Date): string {
  const issuedAt = now.getTime();
  return `${issuedAt}.${mac(secret, letterId, issuedAt)}`;
}

export function checkFormStamp(secret: string, letterId: number, stamp: unknown, now: Date): StampCheck {
  if (typeof stamp !== "string" || stamp.length > 64) return "invalid";
  const [time, given] = stamp.split(".");
  const issuedAt = Number(time);
  if (!Number.isSafeInteger(issuedAt) || !given) return "invalid";
  const expected = Buffer.from(mac(secret, letterId, issuedAt));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return "invalid";
  const age = now.getTime() - issuedAt;
  if (age < FASTEST_HUMAN_MS) return "too_fast";
  if (age > OLDEST_FORM_MS) return "too_old";
  return "ok";
}
