import { createRequire } from "node:module";
import type { SodiumSizes } from "./key-file-format.ts";

/*
 * libsodium's C code through sodium-native, where it loads: the same primitives as the WebAssembly build
 * (libsodium-wrappers), byte for byte, about six times faster for a sealed box and several times faster for
 * argon2id. It is an optional dependency: its prebuilt binaries cover the usual servers and laptops, but a
 * platform without one, an install with --omit=optional, or a binary that fails to load must not stop the
 * server or the CLI. So a failure to load is not an error: the callers fall back to WebAssembly, which
 * produces the same boxes and key files (tests seal with each and open with the other).
 */

/** The part of sodium-native's API this code calls (its package ships no types). */
export type NativeSodium = SodiumSizes & {
  crypto_box_SEALBYTES: number;
  crypto_box_keypair(publicKey: Buffer, secretKey: Buffer): void;
  crypto_box_seal(box: Buffer, message: Buffer, publicKey: Buffer): void;
  crypto_box_seal_open(message: Buffer, box: Buffer, publicKey: Buffer, secretKey: Buffer): boolean;
  crypto_scalarmult_base(publicKey: Buffer, secretKey: Buffer): void;
  crypto_secretbox_MACBYTES: number;
  crypto_secretbox_easy(box: Buffer, message: Buffer, nonce: Buffer, key: Buffer): void;
  crypto_secretbox_open_easy(message: Buffer, box: Buffer, nonce: Buffer, key: Buffer): boolean;
  crypto_pwhash(
    out: Buffer,
    password: Buffer,
    salt: Buffer,
    opslimit: number,
    memlimit: number,
    algorithm: number,
  ): void;
  crypto_hash_sha256(out: Buffer, message: Buffer): void;
  randombytes_buf(buffer: Buffer): void;
  sodium_memzero(buffer: Buffer): void;
  sodium_memcmp(a: Buffer, b: Buffer): boolean;
};

/**
 * sodium-native when it loads and works, otherwise null. `load` is the module loader, a parameter so a test
 * can show that a missing or broken binary gives the fallback rather than an error.
 */
export function loadNativeSodium(
  load: () => unknown = () => createRequire(import.meta.url)("sodium-native"),
): NativeSodium | null {
  try {
    const native = load() as NativeSodium;
    // A binary that loads but cannot do the work (a wrong build) counts as missing: try one box.
    const publicKey = Buffer.alloc(native.crypto_box_PUBLICKEYBYTES);
    const secretKey = Buffer.alloc(native.crypto_box_SECRETKEYBYTES);
    native.crypto_box_keypair(publicKey, secretKey);
    const message = Buffer.from("probe");
    const box = Buffer.alloc(message.length + native.crypto_box_SEALBYTES);
    native.crypto_box_seal(box, message, publicKey);
    const opened = Buffer.alloc(message.length);
    if (!native.crypto_box_seal_open(opened, box, publicKey, secretKey) || !opened.equals(message))
      return null;
    native.sodium_memzero(secretKey);
    return native;
  } catch {
    return null;
  }
}

/** Loaded once per process (and per worker thread): null means the WebAssembly build does the work. */
export const nativeSodium: NativeSodium | null = loadNativeSodium();
