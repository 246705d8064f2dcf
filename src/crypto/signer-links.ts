import { createHmac } from "node:crypto";
import { sha256 } from "./tokens.ts";

/*
 * Links a signer holds. The confirmation token is random and mailed; the database keeps its hash. The
 * private manage link (withdraw, correct a listed name) is derived from it with the server secret, so the
 * receipt page can show the same manage link every time the confirmation link is opened (confirming is
 * idempotent, and so is its receipt) while the database holds only the hash of either.
 */

export function manageTokenFor(secret: string, confirmToken: string): string {
  return createHmac("sha256", secret).update(`manage:${confirmToken}`).digest("base64url");
}

/**
 * The local part of the confirmation mail's Message-ID. Derived from the link's token, so that confirming
 * (which holds the token) can find and erase the local mailbox's copy; it reveals nothing of the token.
 */
export function confirmationMessageKey(confirmToken: string): string {
  return sha256(`confirmation-mail:${confirmToken}`).slice(0, 32);
}

/**
 * The code printed on a receipt, for a signer to quote to the coordinators ("receipt 3F9A-01BC-77D2").
 * Derived from the signature's random listed salt, or an undisclosed one's commitment (itself a hash over a
 * random salt): either way nothing about the signer.
 */
export function receiptCode(randomSource: string): string {
  const hex = sha256(`receipt:${randomSource}`).slice(0, 12).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/**
 * The one-click unsubscribe token of a listed signatory's updates address. Derived from the signature's
 * random listed salt with the server secret, so every update mail can carry it while the database holds
 * only its hash (signatures.updates_token_hash).
 */
export function updatesTokenFor(secret: string, listedSalt: string): string {
  return createHmac("sha256", secret).update(`updates:${listedSalt}`).digest("base64url");
}
