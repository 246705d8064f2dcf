import {
  buildKeyFile,
  type CoalitionKeyFile,
  type KeyFileSodium,
  type KeyStrength,
  openKeyFileWith,
} from "./key-file-format.ts";
import { type NativeSodium, nativeSodium } from "./native-sodium.ts";
import type { KeyPair } from "./seal.ts";

/*
 * The coalition's key file on the command line: the private key that opens every sealed identity and
 * contact, kept on the coordinators' machines (never on the server), encrypted with a passphrase. The format
 * itself (argon2id pwhash + secretbox, versioned JSON) lives in key-file-format.ts, which the browser
 * console's key maker bundles too, so a file made in either place opens in the other. Here argon2id runs in
 * libsodium's C code (sodium-native) where it loads, several times faster than the WebAssembly build, which
 * remains the fallback; both derive the same key, so a file made with either opens with the other.
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

type CliSodium = KeyFileSodium & {
  crypto_box_keypair(): { publicKey: Uint8Array; privateKey: Uint8Array };
};

const BASE64_ORIGINAL = 1;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A Buffer over the same memory, so that memzero wipes the caller's bytes and not a copy. */
const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** sodium-native in libsodium-wrappers' calling shapes, for key-file-format.ts. */
export function nativeKeyFileSodium(n: NativeSodium): CliSodium {
  const alloc = (length: number) => Buffer.alloc(length);
  return {
    base64_variants: { ORIGINAL: BASE64_ORIGINAL },
    crypto_box_PUBLICKEYBYTES: n.crypto_box_PUBLICKEYBYTES,
    crypto_box_SECRETKEYBYTES: n.crypto_box_SECRETKEYBYTES,
    crypto_secretbox_KEYBYTES: n.crypto_secretbox_KEYBYTES,
    crypto_secretbox_NONCEBYTES: n.crypto_secretbox_NONCEBYTES,
    crypto_pwhash_SALTBYTES: n.crypto_pwhash_SALTBYTES,
    crypto_pwhash_ALG_ARGON2ID13: n.crypto_pwhash_ALG_ARGON2ID13,
    crypto_pwhash_OPSLIMIT_INTERACTIVE: n.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    crypto_pwhash_MEMLIMIT_INTERACTIVE: n.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    crypto_pwhash_OPSLIMIT_MODERATE: n.crypto_pwhash_OPSLIMIT_MODERATE,
    crypto_pwhash_MEMLIMIT_MODERATE: n.crypto_pwhash_MEMLIMIT_MODERATE,
    crypto_box_keypair() {
      const publicKey = alloc(n.crypto_box_PUBLICKEYBYTES);
      const privateKey = alloc(n.crypto_box_SECRETKEYBYTES);
      n.crypto_box_keypair(publicKey, privateKey);
      return { publicKey, privateKey };
    },
    randombytes_buf(length) {
      const bytes = alloc(length);
      n.randombytes_buf(bytes);
      return bytes;
    },
    crypto_pwhash(keyLength, password, salt, opslimit, memlimit, algorithm) {
      const key = alloc(keyLength);
      const secret = Buffer.from(password, "utf8");
      try {
        n.crypto_pwhash(key, secret, view(salt), opslimit, memlimit, algorithm);
      } finally {
        n.sodium_memzero(secret);
      }
      return key;
    },
    crypto_secretbox_easy(message, nonce, key) {
      const box = alloc(message.length + n.crypto_secretbox_MACBYTES);
      n.crypto_secretbox_easy(box, view(message), view(nonce), view(key));
      return box;
    },
    crypto_secretbox_open_easy(box, nonce, key) {
      if (box.length < n.crypto_secretbox_MACBYTES) throw new Error("the box is too short");
      const message = alloc(box.length - n.crypto_secretbox_MACBYTES);
      if (!n.crypto_secretbox_open_easy(message, view(box), view(nonce), view(key)))
        throw new Error("wrong secret key for the given ciphertext");
      return message;
    },
    crypto_scalarmult_base(privateKey) {
      const publicKey = alloc(n.crypto_box_PUBLICKEYBYTES);
      n.crypto_scalarmult_base(publicKey, view(privateKey));
      return publicKey;
    },
    crypto_hash_sha256(message) {
      const digest = alloc(32);
      n.crypto_hash_sha256(digest, view(message));
      return digest;
    },
    memzero: (bytes) => n.sodium_memzero(view(bytes)),
    memcmp: (a, b) => a.length === b.length && n.sodium_memcmp(view(a), view(b)),
    to_base64(bytes, variant) {
      if (variant !== BASE64_ORIGINAL) throw new TypeError("only standard base64 is used here");
      return view(bytes).toString("base64");
    },
    from_base64(text, variant) {
      if (variant !== BASE64_ORIGINAL || !BASE64.test(text)) throw new TypeError("invalid input");
      return Buffer.from(text, "base64");
    },
    to_hex: (bytes) => view(bytes).toString("hex"),
    from_string: (text) => Buffer.from(text, "utf8"),
  };
}

/** The WebAssembly build, ready: loaded only when asked for, as it costs memory a native process never uses. */
export async function wasmKeyFileSodium(): Promise<CliSodium> {
  const { default: sodium } = await import("libsodium-wrappers-sumo");
  await sodium.ready;
  return sodium;
}

const native = nativeSodium ? nativeKeyFileSodium(nativeSodium) : null;

async function lib(): Promise<CliSodium> {
  return native ?? (await wasmKeyFileSodium());
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
    return {
      keyPair: {
        publicKey: file.publicKey,
        privateKey: s.to_base64(pair.privateKey, s.base64_variants.ORIGINAL),
      },
      file,
    };
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
    return { publicKey, privateKey: s.to_base64(privateKey, s.base64_variants.ORIGINAL) };
  } finally {
    s.memzero(privateKey);
  }
}
