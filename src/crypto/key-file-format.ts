import type sodiumModule from "libsodium-wrappers-sumo";

/*
 * The coalition key file's format, in one implementation for the CLI (coalition-key.ts, with the sumo
 * package it imports) and the browser console (src/web/browser/create-coalition-key.ts, with the sumo build
 * served from our origin as a global script: bundling it would put a megabyte of WebAssembly into the
 * console bundle). Nothing here imports a runtime module: the caller hands in a ready libsodium-sumo.
 *
 * The private key is stretched-passphrase encrypted: argon2id (crypto_pwhash) turns the passphrase into a
 * secretbox key; the file also carries the public key in the clear, so anyone can tell which campaign key a
 * file belongs to without the passphrase. Versioned JSON, so both sides read what the other wrote.
 */

export type Sodium = typeof sodiumModule;

/** libsodium's sizes and argon2id settings the format uses, named alike in every build of it. */
export type SodiumSizes = {
  crypto_box_PUBLICKEYBYTES: number;
  crypto_box_SECRETKEYBYTES: number;
  crypto_secretbox_KEYBYTES: number;
  crypto_secretbox_NONCEBYTES: number;
  crypto_pwhash_SALTBYTES: number;
  crypto_pwhash_ALG_ARGON2ID13: number;
  crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
  crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
  crypto_pwhash_OPSLIMIT_MODERATE: number;
  crypto_pwhash_MEMLIMIT_MODERATE: number;
};

/**
 * The part of libsodium the format uses, in libsodium-wrappers' shapes: the browser hands in libsodium-sumo
 * itself, the CLI the same or sodium-native adapted to these calls (coalition-key.ts), so one implementation
 * of the format serves all three.
 */
export type KeyFileSodium = SodiumSizes & {
  base64_variants: { ORIGINAL: number };
  randombytes_buf(length: number): Uint8Array;
  crypto_pwhash(
    keyLength: number,
    password: string,
    salt: Uint8Array,
    opslimit: number,
    memlimit: number,
    algorithm: number,
  ): Uint8Array;
  crypto_secretbox_easy(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** Throws when the box does not open with the key. */
  crypto_secretbox_open_easy(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  crypto_scalarmult_base(privateKey: Uint8Array): Uint8Array;
  crypto_hash_sha256(message: Uint8Array): Uint8Array;
  memzero(bytes: Uint8Array): void;
  memcmp(a: Uint8Array, b: Uint8Array): boolean;
  to_base64(bytes: Uint8Array, variant: number): string;
  /** Throws on text that is not base64 of the variant. */
  from_base64(text: string, variant: number): Uint8Array;
  to_hex(bytes: Uint8Array): string;
  from_string(text: string): Uint8Array;
};

export const KEY_FILE_FORMAT = "undersigned-coalition-key";
export const KEY_FILE_VERSION = 1;

/** A passphrase shorter than this is refused: the file's safety rests on it once it leaves the laptop. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** The key file as it sits on disk. */
export type CoalitionKeyFile = {
  format: typeof KEY_FILE_FORMAT;
  version: typeof KEY_FILE_VERSION;
  created: string;
  /** The campaign it was made for, when known; informative only. */
  campaign: string | null;
  publicKey: string;
  kdf: { algorithm: "argon2id13"; opslimit: number; memlimit: number; salt: string };
  cipher: { algorithm: "xsalsa20poly1305"; nonce: string; ciphertext: string };
};

/**
 * "moderate" (3 passes, 256 MiB, about 1.5 s here) is what keygen and the console use: the file may be
 * copied off a coordinator's laptop, so guessing passphrases must be expensive, yet a browser tab can still
 * open it. "interactive" (2 passes, 64 MiB) exists so tests do not spend seconds per key.
 */
export type KeyStrength = "moderate" | "interactive";

export class WrongPassphraseError extends Error {
  constructor() {
    super("the passphrase does not open this key file");
    this.name = "WrongPassphraseError";
  }
}

export class KeyFileError extends Error {
  constructor(reason: string) {
    super(`not a valid coalition key file: ${reason}`);
    this.name = "KeyFileError";
  }
}

/** The name keygen and the console give a campaign's key file. */
export function keyFileName(campaign: string | null | undefined): string {
  return campaign ? `coalition-key-${campaign}.json` : "coalition-key.json";
}

/** The file's text exactly as keygen writes it to disk and the console offers it for download. */
export function keyFileText(file: CoalitionKeyFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Encrypts a freshly generated key pair's private key with the passphrase into a key file. The caller
 * generated the pair (crypto_box_keypair) and wipes its private key afterwards.
 */
export function buildKeyFile(
  s: KeyFileSodium,
  passphrase: string,
  keyPair: { publicKey: Uint8Array; privateKey: Uint8Array },
  options: { now: Date; campaign?: string | null | undefined; strength?: KeyStrength | undefined },
): CoalitionKeyFile {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new RangeError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  const b64 = s.base64_variants.ORIGINAL;
  const moderate = (options.strength ?? "moderate") === "moderate";
  const opslimit = moderate ? s.crypto_pwhash_OPSLIMIT_MODERATE : s.crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const memlimit = moderate ? s.crypto_pwhash_MEMLIMIT_MODERATE : s.crypto_pwhash_MEMLIMIT_INTERACTIVE;
  const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
  const key = stretch(s, passphrase, salt, opslimit, memlimit);
  const nonce = s.randombytes_buf(s.crypto_secretbox_NONCEBYTES);
  const ciphertext = s.crypto_secretbox_easy(keyPair.privateKey, nonce, key);
  s.memzero(key);
  return {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    created: options.now.toISOString(),
    campaign: options.campaign ?? null,
    publicKey: s.to_base64(keyPair.publicKey, b64),
    kdf: { algorithm: "argon2id13", opslimit, memlimit, salt: s.to_base64(salt, b64) },
    cipher: {
      algorithm: "xsalsa20poly1305",
      nonce: s.to_base64(nonce, b64),
      ciphertext: s.to_base64(ciphertext, b64),
    },
  };
}

/**
 * Opens a key file (its JSON text) with the passphrase; returns the public key (base64) and the private key
 * bytes, which the caller wipes when done. Throws WrongPassphraseError when the passphrase is wrong,
 * KeyFileError when the file is damaged or not a key file, including a private key that does not match the
 * public key written beside it.
 */
export function openKeyFileWith(
  s: KeyFileSodium,
  text: string,
  passphrase: string,
): { publicKey: string; privateKey: Uint8Array } {
  const file = parseKeyFile(text);
  // Refuse absurd costs from a tampered file before they exhaust memory.
  if (file.kdf.memlimit > 1024 * 1024 * 1024 || file.kdf.opslimit > 20) {
    throw new KeyFileError("its key-derivation cost is out of range");
  }
  const publicKey = decode(s, file.publicKey, "publicKey");
  const key = stretch(
    s,
    passphrase,
    decode(s, file.kdf.salt, "kdf.salt"),
    file.kdf.opslimit,
    file.kdf.memlimit,
  );
  let privateKey: Uint8Array;
  try {
    privateKey = s.crypto_secretbox_open_easy(
      decode(s, file.cipher.ciphertext, "cipher.ciphertext"),
      decode(s, file.cipher.nonce, "cipher.nonce"),
      key,
    );
  } catch {
    throw new WrongPassphraseError();
  } finally {
    s.memzero(key);
  }
  if (
    privateKey.length !== s.crypto_box_SECRETKEYBYTES ||
    publicKey.length !== s.crypto_box_PUBLICKEYBYTES ||
    !s.memcmp(s.crypto_scalarmult_base(privateKey), publicKey)
  ) {
    s.memzero(privateKey);
    throw new KeyFileError("its private key does not match its public key");
  }
  return { publicKey: file.publicKey, privateKey };
}

/** Reads the public part of a key file without the passphrase. */
export function parseKeyFile(text: string): CoalitionKeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyFileError("it is not JSON");
  }
  const f = value as Partial<CoalitionKeyFile>;
  if (f?.format !== KEY_FILE_FORMAT) throw new KeyFileError(`"format" is not "${KEY_FILE_FORMAT}"`);
  if (f.version !== KEY_FILE_VERSION) throw new KeyFileError(`version ${String(f.version)} is not supported`);
  if (
    typeof f.publicKey !== "string" ||
    f.kdf?.algorithm !== "argon2id13" ||
    !Number.isSafeInteger(f.kdf.opslimit) ||
    !Number.isSafeInteger(f.kdf.memlimit) ||
    typeof f.kdf.salt !== "string" ||
    f.cipher?.algorithm !== "xsalsa20poly1305" ||
    typeof f.cipher.nonce !== "string" ||
    typeof f.cipher.ciphertext !== "string"
  ) {
    throw new KeyFileError("a field is missing or has the wrong type");
  }
  return f as CoalitionKeyFile;
}

/**
 * A short, comparable name for a public key: the first 16 hex digits of the SHA-256 of its base64 text.
 * The server computes the same with node:crypto (keyFingerprint in set-campaign-key.ts).
 */
export function fingerprintWith(s: KeyFileSodium, publicKey: string): string {
  return s.to_hex(s.crypto_hash_sha256(s.from_string(publicKey))).slice(0, 16);
}

function stretch(
  s: KeyFileSodium,
  passphrase: string,
  salt: Uint8Array,
  opslimit: number,
  memlimit: number,
): Uint8Array {
  return s.crypto_pwhash(
    s.crypto_secretbox_KEYBYTES,
    // NFC so the same passphrase typed on two systems (composed vs decomposed accents) gives the same key.
    passphrase.normalize("NFC"),
    salt,
    opslimit,
    memlimit,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
}

function decode(s: KeyFileSodium, value: string, field: string): Uint8Array {
  try {
    return s.from_base64(value, s.base64_variants.ORIGINAL);
  } catch {
    throw new KeyFileError(`${field} is not base64`);
  }
}
