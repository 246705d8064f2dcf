import sodium from "libsodium-wrappers-sumo";
import { buildKeyFile, type CoalitionKeyFile, type KeyStrength, openKeyFileWith } from "./key-file-format.ts";
import type { KeyPair } from "./seal.ts";

/*
 * The coalition's key file on the command line: the private key that opens every sealed identity and
 * contact, kept on the coordinators' machines (never on the server), encrypted with a passphrase. The format
 * itself (argon2id pwhash + secretbox, versioned JSON) lives in key-file-format.ts, which the browser
 * console's key maker bundles too, so a file made in either place opens in the other.
 */

export {
  type CoalitionKeyFile,
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  KeyFileError,
  type KeyStrength,
  keyFileName,
  keyFileText,
  MIN_PASSPHRASE_LENGTH,
  parseKeyFile,
  WrongPassphraseError,
} from "./key-file-format.ts";

const BASE64 = sodium.base64_variants.ORIGINAL;

async function lib(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}

/** Generates a key pair and returns it with its passphrase-protected file. */
export async function createKeyFile(
  passphrase: string,
  options: { now: Date; campaign?: string | null; strength?: KeyStrength },
): Promise<{ keyPair: KeyPair; file: CoalitionKeyFile }> {
  const s = await lib();
  const pair = s.crypto_box_keypair();
  try {
    const file = buildKeyFile(s, passphrase, pair, options);
    return { keyPair: { publicKey: file.publicKey, privateKey: s.to_base64(pair.privateKey, BASE64) }, file };
  } finally {
    s.memzero(pair.privateKey);
  }
}

/**
 * Opens a key file (its JSON text) with the passphrase. Throws WrongPassphraseError when the passphrase is
 * wrong, KeyFileError when the file is damaged or not a key file, including a private key that does not
 * match the public key written beside it.
 */
export async function openKeyFile(text: string, passphrase: string): Promise<KeyPair> {
  const s = await lib();
  const { publicKey, privateKey } = openKeyFileWith(s, text, passphrase);
  try {
    return { publicKey, privateKey: s.to_base64(privateKey, BASE64) };
  } finally {
    s.memzero(privateKey);
  }
}
