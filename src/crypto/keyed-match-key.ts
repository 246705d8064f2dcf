import { blake2b } from "@noble/hashes/blake2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/*
 * Keyed match keys: how an undisclosed endorsement is recognised when an updated export is imported again,
 * without the server holding anything it could test a guessed name against (DESIGN.md, non-negotiable 1).
 *
 *   campaign secret = BLAKE2b-256(key = coalition private key, "undersigned/keyed-match-secret/v1")
 *   letter key      = BLAKE2b-256(key = campaign secret, "letter:" + letter id)
 *   keyed match key = BLAKE2b-256(key = letter key, the name's match key (domain/names.ts)), in hex
 *
 * Only someone with the private key can compute a keyed match key, so a server (or whoever copies its
 * database) cannot confirm that "Organisation X" signed by hashing the name. The per-letter key means one
 * organisation's undisclosed endorsements of two letters carry unrelated values. The campaign secret is
 * what the coordinator's browser derives once the key file is opened (open-sealed.js, with libsodium's
 * crypto_generichash, which is the same keyed BLAKE2b); it opens nothing, but is kept as carefully as the
 * key. Plain JavaScript (noble), so the console's import page bundles this very file.
 */

export const KEYED_MATCH_SECRET_CONTEXT = "undersigned/keyed-match-secret/v1";

/** The campaign's match secret, from its coalition private key (32 bytes). */
export function keyedMatchSecret(privateKey: Uint8Array): Uint8Array {
  return blake2b(utf8ToBytes(KEYED_MATCH_SECRET_CONTEXT), { key: privateKey, dkLen: 32 });
}

/** A function giving each name's keyed match key on one letter. */
export function keyedMatchKeyer(secret: Uint8Array, letterId: number): (matchKey: string) => string {
  const letterKey = blake2b(utf8ToBytes(`letter:${letterId}`), { key: secret, dkLen: 32 });
  return (matchKey) => bytesToHex(blake2b(utf8ToBytes(matchKey), { key: letterKey, dkLen: 32 }));
}
