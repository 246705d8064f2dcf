import { hsalsa, xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { u32 } from "@noble/ciphers/utils.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { blake2b } from "@noble/hashes/blake2.js";

/*
 * libsodium's crypto_box_seal, byte for byte, for the browser: the sign form seals with it before it sends
 * (DESIGN.md, non-negotiable 1), and what it writes is opened by libsodium's crypto_box_seal_open in the
 * coordinators' console and CLI (a test proves it on the shipped bundle). libsodium itself would cost the
 * sign page ~135 KB gzipped and WebAssembly (which our CSP does not allow); this costs a fraction.
 *
 * The construction, as in libsodium's crypto_box_seal.c and crypto_box_curve25519xsalsa20poly1305.c:
 *   ephemeral key pair (esk, epk)
 *   nonce  = BLAKE2b-192(epk || recipient_pk)              unkeyed generichash, 24 bytes
 *   shared = X25519(esk, recipient_pk)                     refused if all zero (low-order key)
 *   key    = HSalsa20(shared, 16 zero bytes, "expand 32-byte k")   crypto_box_beforenm
 *   box    = epk || XSalsa20-Poly1305(key, nonce, message)  MAC (16 bytes) before the ciphertext
 */

export const PUBLIC_KEY_BYTES = 32;
/** What sealing adds to a message: the ephemeral public key and the Poly1305 tag. */
export const SEAL_OVERHEAD_BYTES = PUBLIC_KEY_BYTES + 16;

const SIGMA = u32(new TextEncoder().encode("expand 32-byte k"));

/** crypto_box_beforenm: the XSalsa20-Poly1305 key both sides derive from their X25519 shared secret. */
function boxKey(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  // noble throws on an all-zero shared secret, as libsodium's crypto_scalarmult refuses it.
  const shared = x25519.getSharedSecret(secretKey, publicKey);
  const key = new Uint8Array(32);
  hsalsa(SIGMA, u32(shared), new Uint32Array(4), u32(key));
  shared.fill(0);
  return key;
}

export function sealBox(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  if (recipientPublicKey.length !== PUBLIC_KEY_BYTES) {
    throw new TypeError(`public key must be ${PUBLIC_KEY_BYTES} bytes, got ${recipientPublicKey.length}`);
  }
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const nonceInput = new Uint8Array(2 * PUBLIC_KEY_BYTES);
  nonceInput.set(ephemeralPublic);
  nonceInput.set(recipientPublicKey, PUBLIC_KEY_BYTES);
  const nonce = blake2b(nonceInput, { dkLen: 24 });
  const key = boxKey(ephemeralSecret, recipientPublicKey);
  const sealed = xsalsa20poly1305(key, nonce).encrypt(message);
  // The sealer must not be able to open its own box afterwards: forget the ephemeral secret and the key.
  ephemeralSecret.fill(0);
  key.fill(0);
  const box = new Uint8Array(PUBLIC_KEY_BYTES + sealed.length);
  box.set(ephemeralPublic);
  box.set(sealed, PUBLIC_KEY_BYTES);
  return box;
}
