import { createHash, createHmac, randomBytes } from "node:crypto";

/*
 * Secrets that travel in links and cookies (set-up and reset links, session cookies) are 256 random bits in
 * URL-safe base64. Only their SHA-256 is stored: a copy of the database or a backup does not hold a single
 * usable link or session. A plain hash suffices because the input is random, not guessable.
 */

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * A short keyed hash (HMAC-SHA-256 with the server secret, 16 hex characters) for values that must be
 * recognisable but never stored as such, like a typed account address. The truncation keeps rows small while
 * collisions stay negligible.
 */
export function keyedDigest(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${value}`).digest("hex").slice(0, 16);
}

/**
 * The private sign-on link. The token travels only in the link shown once to the coordinator; the letter
 * row keeps its hash, so a database copy cannot be used to reach a letter's private sign form.
 */
export function privateSignOnTokenHash(token: string): string {
  return sha256(`private-sign-on:${token}`);
}
