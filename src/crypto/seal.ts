import { type NativeSodium, nativeSodium } from "./native-sodium.ts";

/*
 * Sealed boxes (libsodium crypto_box_seal): anyone holding a campaign's public key can seal, only the holder
 * of the private key can open, and the sealer keeps no way to open it afterwards. That is how the server
 * stores an undisclosed signatory's identity and contact without being able to read them (DESIGN.md,
 * non-negotiable 1). Keys and boxes travel as standard base64 so browsers (atob) and the CLI agree.
 *
 * The work is libsodium's either way: its C code through sodium-native where that loads (an import seals
 * one or two boxes a row, and native sealing is about six times faster), its WebAssembly build otherwise.
 */

export type KeyPair = { publicKey: string; privateKey: string };

/** One implementation of the box primitives; the two give boxes the other opens. */
export type BoxBackend = {
  name: "sodium-native" | "libsodium-wrappers";
  keyPair(): { publicKey: Uint8Array; privateKey: Uint8Array };
  publicKeyOf(privateKey: Uint8Array): Uint8Array;
  seal(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** The message, or null when the box was not sealed to this key pair or was tampered with. */
  open(box: Uint8Array, publicKey: Uint8Array, privateKey: Uint8Array): Uint8Array | null;
};

export function nativeBackend(native: NativeSodium): BoxBackend {
  return {
    name: "sodium-native",
    keyPair() {
      const publicKey = Buffer.alloc(native.crypto_box_PUBLICKEYBYTES);
      const privateKey = Buffer.alloc(native.crypto_box_SECRETKEYBYTES);
      native.crypto_box_keypair(publicKey, privateKey);
      return { publicKey, privateKey };
    },
    publicKeyOf(privateKey) {
      const publicKey = Buffer.alloc(native.crypto_box_PUBLICKEYBYTES);
      native.crypto_scalarmult_base(publicKey, Buffer.from(privateKey));
      return publicKey;
    },
    seal(message, publicKey) {
      const box = Buffer.alloc(message.length + native.crypto_box_SEALBYTES);
      native.crypto_box_seal(box, Buffer.from(message), Buffer.from(publicKey));
      return box;
    },
    open(box, publicKey, privateKey) {
      if (box.length < native.crypto_box_SEALBYTES) return null;
      const message = Buffer.alloc(box.length - native.crypto_box_SEALBYTES);
      const opened = native.crypto_box_seal_open(
        message,
        Buffer.from(box),
        Buffer.from(publicKey),
        Buffer.from(privateKey),
      );
      return opened ? message : null;
    },
  };
}

/** The WebAssembly build: loaded only when asked for, as it costs memory a native process never uses. */
export async function wasmBackend(): Promise<BoxBackend> {
  const { default: sodium } = await import("libsodium-wrappers");
  await sodium.ready;
  return {
    name: "libsodium-wrappers",
    keyPair: () => sodium.crypto_box_keypair(),
    publicKeyOf: (privateKey) => sodium.crypto_scalarmult_base(privateKey),
    seal: (message, publicKey) => sodium.crypto_box_seal(message, publicKey),
    open(box, publicKey, privateKey) {
      try {
        return sodium.crypto_box_seal_open(box, publicKey, privateKey);
      } catch {
        return null;
      }
    },
  };
}

const native = nativeSodium ? nativeBackend(nativeSodium) : null;

/** The backend this process seals and opens with: native where it loaded, WebAssembly otherwise. */
export async function boxBackend(): Promise<BoxBackend> {
  return native ?? (await wasmBackend());
}

const KEY_BYTES = 32;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, strictly: Buffer alone would skip stray characters silently. */
function fromBase64(value: string, name: string): Buffer {
  if (!BASE64.test(value)) throw new TypeError(`${name} is not base64`);
  return Buffer.from(value, "base64");
}

function decodeKey(key: string, name: string): Buffer {
  const bytes = fromBase64(key, name);
  if (bytes.length !== KEY_BYTES)
    throw new TypeError(`${name} must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  return bytes;
}

const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");

export async function generateKeyPair(): Promise<KeyPair> {
  const pair = (await boxBackend()).keyPair();
  return { publicKey: toBase64(pair.publicKey), privateKey: toBase64(pair.privateKey) };
}

/** True when the private key is the one the public key was derived from. */
export async function isKeyPair(keyPair: KeyPair): Promise<boolean> {
  const privateKey = decodeKey(keyPair.privateKey, "private key");
  const publicKey = decodeKey(keyPair.publicKey, "public key");
  return Buffer.from((await boxBackend()).publicKeyOf(privateKey)).equals(publicKey);
}

export async function seal(plaintext: string, publicKey: string): Promise<string> {
  return sealWith(await boxBackend(), plaintext, publicKey);
}

/** seal() with a given backend: the import's batches and the cross-tests name theirs. */
export function sealWith(backend: BoxBackend, plaintext: string, publicKey: string): string {
  return toBase64(backend.seal(Buffer.from(plaintext, "utf8"), decodeKey(publicKey, "public key")));
}

/** Opens a sealed box; throws when it was not sealed to this key pair or has been tampered with. */
export async function openSealed(sealed: string, keyPair: KeyPair): Promise<string> {
  return openSealedWith(await boxBackend(), sealed, keyPair);
}

export function openSealedWith(backend: BoxBackend, sealed: string, keyPair: KeyPair): string {
  const opened = backend.open(
    fromBase64(sealed, "sealed box"),
    decodeKey(keyPair.publicKey, "public key"),
    decodeKey(keyPair.privateKey, "private key"),
  );
  if (opened === null) throw new Error("the sealed box does not open with this key pair");
  // fatal: a box holds the UTF-8 JSON we sealed; anything else is damage, not text to guess at.
  return new TextDecoder("utf-8", { fatal: true }).decode(opened);
}
