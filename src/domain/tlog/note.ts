import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, equalBytes, fromBase64, toBase64, toHex, utf8 } from "./bytes.ts";

/*
 * C2SP signed-note with Ed25519 keys (type 0x01) and tlog-cosignature/v1 witness cosignatures (type 0x04),
 * plus the golang.org/x/mod/sumdb/note key encodings every tool in this ecosystem reads:
 *   verifier key  <name>+<hex key id>+base64(0x01 ‖ public key)
 *   signer key    PRIVATE+KEY+<name>+<hex key id>+base64(0x01 ‖ 32-byte seed)
 */

export const ED25519_TYPE = 0x01;
export const COSIGNATURE_TYPE = 0x04;

export type VerifierKey = { name: string; keyId: Uint8Array; type: number; publicKey: Uint8Array };
export type SignerKey = VerifierKey & { seed: Uint8Array };

const NAME = /^[^\s+]+$/u;

export function keyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(`${name}\n`), new Uint8Array([type]), publicKey)).slice(0, 4);
}

export function isValidKeyName(name: string): boolean {
  return NAME.test(name);
}

export function signerFromSeed(name: string, seed: Uint8Array): SignerKey {
  if (!isValidKeyName(name)) throw new Error("a key name must be non-empty, without spaces or +");
  if (seed.length !== 32) throw new Error("an Ed25519 seed is 32 bytes");
  const publicKey = ed25519.getPublicKey(seed);
  return { name, type: ED25519_TYPE, publicKey, keyId: keyId(name, ED25519_TYPE, publicKey), seed };
}

export function generateSigner(name: string): SignerKey {
  return signerFromSeed(name, ed25519.utils.randomSecretKey());
}

export function formatSignerKey(key: SignerKey): string {
  return `PRIVATE+KEY+${key.name}+${toHex(key.keyId)}+${toBase64(concatBytes(new Uint8Array([key.type]), key.seed))}`;
}

export function formatVerifierKey(key: VerifierKey): string {
  return `${key.name}+${toHex(key.keyId)}+${toBase64(concatBytes(new Uint8Array([key.type]), key.publicKey))}`;
}

/** name+id+base64: the base64 may itself hold "+", so only the first two pluses separate. */
function parseKeyParts(
  text: string,
): { name: string; id: string; type: number; material: Uint8Array } | null {
  const match = /^([^+]+)\+([^+]+)\+(.+)$/s.exec(text);
  if (!match) return null;
  const [, name, id, encoded] = match as unknown as [string, string, string, string];
  const bytes = fromBase64(encoded);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || !bytes || bytes.length !== 33) return null;
  return { name, id, type: bytes[0]!, material: bytes.slice(1) };
}

/** Null unless the text is an Ed25519 signer key whose key id matches its name and key. */
export function parseSignerKey(text: string): SignerKey | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("PRIVATE+KEY+")) return null;
  const p = parseKeyParts(trimmed.slice("PRIVATE+KEY+".length));
  if (!p || p.type !== ED25519_TYPE) return null;
  const key = signerFromSeed(p.name, p.material);
  return toHex(key.keyId) === p.id ? key : null;
}

/** Null unless the text is an Ed25519 or cosignature verifier key whose id matches. */
export function parseVerifierKey(text: string): VerifierKey | null {
  const p = parseKeyParts(text.trim());
  if (!p || (p.type !== ED25519_TYPE && p.type !== COSIGNATURE_TYPE)) return null;
  const id = keyId(p.name, p.type, p.material);
  return toHex(id) === p.id ? { name: p.name, keyId: id, type: p.type, publicKey: p.material } : null;
}

export type NoteSignature = { name: string; keyId: Uint8Array; signature: Uint8Array; line: string };

/** Signs note text (which must end in a newline) and returns the whole note. */
export function signNote(text: string, key: SignerKey): string {
  const signature = ed25519.sign(utf8(text), key.seed);
  return `${text}\n${signatureLine(key.name, concatBytes(key.keyId, signature))}`;
}

export function signatureLine(name: string, bytes: Uint8Array): string {
  return `— ${name} ${toBase64(bytes)}\n`;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

/** Splits a note into its text and signature lines; null when it is not a well-formed signed note. */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } | null {
  // Control characters other than newline are forbidden; a size cap keeps a hostile note cheap to refuse.
  if (note.length > 1_000_000 || hasControlCharacter(note) || !note.endsWith("\n")) return null;
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const match = /^— (\S+) (\S+)$/u.exec(line);
    if (!match || !isValidKeyName(match[1]!)) return null;
    const bytes = fromBase64(match[2]!);
    if (!bytes || bytes.length < 5) return null;
    signatures.push({
      name: match[1]!,
      keyId: bytes.slice(0, 4),
      signature: bytes.slice(4),
      line: `${line}\n`,
    });
  }
  if (signatures.length === 0 || signatures.length > 100) return null;
  return { text, signatures };
}

function matches(key: VerifierKey, sig: NoteSignature): boolean {
  return key.name === sig.name && equalBytes(key.keyId, sig.keyId);
}

function verifyOne(key: VerifierKey, sig: NoteSignature, text: string): boolean {
  if (key.type === ED25519_TYPE) {
    return sig.signature.length === 64 && ed25519.verify(sig.signature, utf8(text), key.publicKey);
  }
  return verifyCosignatureBytes(key, sig.signature, text) !== null;
}

export type OpenedNote = { text: string; verifiedBy: VerifierKey[]; signatures: NoteSignature[] };

/**
 * Verifies a note against known keys, as signed-note requires: unknown signatures are ignored, a known key
 * whose signature fails rejects the whole note, and at least one known key must have signed.
 */
export function openNote(note: string, keys: readonly VerifierKey[]): OpenedNote | null {
  const split = splitNote(note);
  if (!split) return null;
  const verifiedBy: VerifierKey[] = [];
  for (const sig of split.signatures) {
    const key = keys.find((k) => matches(k, sig));
    if (!key) continue;
    if (!verifyOne(key, sig, split.text)) return null;
    if (!verifiedBy.includes(key)) verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) return null;
  return { text: split.text, verifiedBy, signatures: split.signatures };
}

export type Checkpoint = { origin: string; size: number; root: Uint8Array };

export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${toBase64(checkpoint.root)}\n`;
}

/** Parses checkpoint note text (extension lines, discouraged by the spec, are refused). */
export function parseCheckpoint(text: string): Checkpoint | null {
  const lines = text.split("\n");
  if (lines.length !== 4 || lines[3] !== "") return null;
  const [origin, size, root] = lines as [string, string, string];
  const rootBytes = fromBase64(root);
  if (origin === "" || !/^(0|[1-9][0-9]{0,15})$/.test(size) || !rootBytes || rootBytes.length !== 32)
    return null;
  if (!Number.isSafeInteger(Number(size))) return null;
  return { origin, size: Number(size), root: rootBytes };
}

/** The message a tlog-cosignature/v1 covers: a timestamp line, then the checkpoint text. */
function cosignedMessage(timestamp: bigint, text: string): Uint8Array {
  return utf8(`cosignature/v1\ntime ${timestamp}\n${text}`);
}

/** A witness's cosignature line for checkpoint text: key id ‖ uint64 timestamp ‖ Ed25519 signature. */
export function cosignatureLine(witness: SignerKey, text: string, timestamp: bigint): string {
  const id = keyId(witness.name, COSIGNATURE_TYPE, witness.publicKey);
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, timestamp);
  const signature = ed25519.sign(cosignedMessage(timestamp, text), witness.seed);
  return signatureLine(witness.name, concatBytes(id, time, signature));
}

export function cosignatureVerifierKey(witness: SignerKey): VerifierKey {
  return {
    name: witness.name,
    type: COSIGNATURE_TYPE,
    publicKey: witness.publicKey,
    keyId: keyId(witness.name, COSIGNATURE_TYPE, witness.publicKey),
  };
}

/** The cosignature's timestamp when it verifies, else null. */
export function verifyCosignatureBytes(key: VerifierKey, bytes: Uint8Array, text: string): bigint | null {
  if (bytes.length !== 72) return null;
  const timestamp = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
  if (timestamp === 0n) return null;
  return ed25519.verify(bytes.slice(8), cosignedMessage(timestamp, text), key.publicKey) ? timestamp : null;
}
