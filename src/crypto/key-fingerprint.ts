import { sha256 } from "./tokens.ts";

/** A short, comparable name for a public key (first 16 hex digits of its SHA-256). */
export function keyFingerprint(publicKey: string): string {
  return sha256(publicKey).slice(0, 16);
}

/** The fingerprint as signers read it aloud or compare it by eye: four groups of four ("3f9a 07c2 …"). */
export function readableFingerprint(publicKey: string): string {
  return keyFingerprint(publicKey).replace(/(.{4})(?=.)/g, "$1 ");
}
