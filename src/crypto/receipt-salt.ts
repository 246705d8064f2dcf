import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/*
 * An undisclosed endorsement's commitment salt, kept for its signer's receipt without being stored readable:
 * AES-256-GCM under a key derived from the signer's private manage link (crypto/signer-links.ts), of which
 * the database holds only a hash. The receipt and manage pages, opened with that link, open the box; a copy
 * of the database (or anyone without the link) cannot.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function keyOf(manageToken: string): Buffer {
  return createHmac("sha256", manageToken).update("undersigned/receipt-salt/v1").digest();
}

/** The box stored in signatures.receipt_salt_box: base64 of nonce ‖ ciphertext ‖ tag. */
export function boxReceiptSalt(salt: Uint8Array, manageToken: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOf(manageToken), nonce);
  const sealed = Buffer.concat([cipher.update(salt), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString("base64");
}

/** The salt, or null when the box was not made for this manage link. */
export function openReceiptSalt(box: string, manageToken: string): Uint8Array | null {
  const bytes = Buffer.from(box, "base64");
  if (bytes.length <= NONCE_BYTES + TAG_BYTES) return null;
  const decipher = createDecipheriv("aes-256-gcm", keyOf(manageToken), bytes.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return new Uint8Array(
      Buffer.concat([
        decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]),
    );
  } catch {
    return null;
  }
}
