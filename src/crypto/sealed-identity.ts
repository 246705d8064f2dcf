import { randomBytes } from "node:crypto";
import { toBase64, utf8 } from "../domain/tlog/bytes.ts";
import { commitment, SALT_BYTES } from "../domain/tlog/entries.ts";
import { seal } from "./seal.ts";

/**
 * An undisclosed endorsement's identity, sealed to the campaign's key with its log commitment's salt inside
 * (as `salt`, standard base64), and the commitment the log will carry (domain/tlog/entries.ts). Whoever opens
 * the record with the coalition key can recompute the commitment; nobody else can link the two.
 */
export async function sealIdentity(
  identity: Record<string, unknown>,
  publicKey: string,
): Promise<{ sealed: string; salt: Uint8Array; commit: string }> {
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const sealed = await seal(JSON.stringify({ ...identity, salt: toBase64(salt) }), publicKey);
  return { sealed, salt, commit: commitment(salt, utf8(sealed)) };
}
