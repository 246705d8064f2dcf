import { sha256 } from "./tokens.ts";

/** A short, comparable name for a public key (first 16 hex digits of its SHA-256). */
export function keyFingerprint(publicKey: string): string {
  return sha256(publicKey).slice(0, 16);
}
