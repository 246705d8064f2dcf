import sodium from "libsodium-wrappers-sumo";
import { generateKeyPair, isKeyPair, type KeyPair } from "./seal.ts";

/*
 * The coalition's key file: the private key that opens every sealed identity and contact, kept on the
 * coordinators' machines (never on the server), encrypted with a passphrase. The passphrase is stretched
 * with argon2id (crypto_pwhash) into a secretbox key; the file also carries the public key in the clear so
 * anyone can check which campaign key a file belongs to without the passphrase. The format is versioned
 * JSON so the browser console and the CLI can both read it with libsodium-wrappers-sumo.
 */

export const KEY_FILE_FORMAT = "undersigned-coalition-key";
export const KEY_FILE_VERSION = 1;

const BASE64 = sodium.base64_variants.ORIGINAL;

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
 * "moderate" (3 passes, 256 MiB, about 1.5 s here) is what keygen uses: the file may be copied off a
 * coordinator's laptop, so guessing passphrases must be expensive, yet a browser tab can still open it.
 * "interactive" (2 passes, 64 MiB) exists so tests do not spend seconds per key.
 */
export type KeyStrength = "moderate" | "interactive";

/** A passphrase shorter than this is refused: the file's safety rests on it once it leaves the laptop. */
export const MIN_PASSPHRASE_LENGTH = 12;

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

async function lib(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}

/** Generates a key pair and returns it with its passphrase-protected file. */
export async function createKeyFile(
  passphrase: string,
  options: { now: Date; campaign?: string | null; strength?: KeyStrength },
): Promise<{ keyPair: KeyPair; file: CoalitionKeyFile }> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new RangeError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  const s = await lib();
  const keyPair = await generateKeyPair();
  const moderate = (options.strength ?? "moderate") === "moderate";
  const opslimit = moderate ? s.crypto_pwhash_OPSLIMIT_MODERATE : s.crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const memlimit = moderate ? s.crypto_pwhash_MEMLIMIT_MODERATE : s.crypto_pwhash_MEMLIMIT_INTERACTIVE;
  const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
  const key = stretch(s, passphrase, salt, opslimit, memlimit);
  const nonce = s.randombytes_buf(s.crypto_secretbox_NONCEBYTES);
  const ciphertext = s.crypto_secretbox_easy(s.from_base64(keyPair.privateKey, BASE64), nonce, key);
  s.memzero(key);
  return {
    keyPair,
    file: {
      format: KEY_FILE_FORMAT,
      version: KEY_FILE_VERSION,
      created: options.now.toISOString(),
      campaign: options.campaign ?? null,
      publicKey: keyPair.publicKey,
      kdf: { algorithm: "argon2id13", opslimit, memlimit, salt: s.to_base64(salt, BASE64) },
      cipher: {
        algorithm: "xsalsa20poly1305",
        nonce: s.to_base64(nonce, BASE64),
        ciphertext: s.to_base64(ciphertext, BASE64),
      },
    },
  };
}

/**
 * Opens a key file (its JSON text) with the passphrase. Throws WrongPassphraseError when the passphrase is
 * wrong, KeyFileError when the file is damaged or not a key file, including a private key that does not
 * match the public key written beside it.
 */
export async function openKeyFile(text: string, passphrase: string): Promise<KeyPair> {
  const s = await lib();
  const file = parseKeyFile(text);
  // Refuse absurd costs from a tampered file before they exhaust memory.
  if (file.kdf.memlimit > 1024 * 1024 * 1024 || file.kdf.opslimit > 20) {
    throw new KeyFileError("its key-derivation cost is out of range");
  }
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
  const keyPair = { publicKey: file.publicKey, privateKey: s.to_base64(privateKey, BASE64) };
  if (!(await isKeyPair(keyPair))) throw new KeyFileError("its private key does not match its public key");
  return keyPair;
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

function stretch(
  s: typeof sodium,
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

function decode(s: typeof sodium, value: string, field: string): Uint8Array {
  try {
    return s.from_base64(value, BASE64);
  } catch {
    throw new KeyFileError(`${field} is not base64`);
  }
}
