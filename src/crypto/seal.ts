import sodium from "libsodium-wrappers";

/*
 * Sealed boxes (libsodium crypto_box_seal): anyone holding a campaign's public key can seal, only the holder
 * of the private key can open, and the sealer keeps no way to open it afterwards. That is how the server
 * stores an undisclosed signatory's identity and contact without being able to read them (DESIGN.md,
 * non-negotiable 1). Keys and boxes travel as standard base64 so browsers (atob) and the CLI agree.
 */

const BASE64 = sodium.base64_variants.ORIGINAL;

export type KeyPair = { publicKey: string; privateKey: string };

async function lib(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}

function decodeKey(s: typeof sodium, key: string, name: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = s.from_base64(key, BASE64);
  } catch {
    throw new TypeError(`${name} is not base64`);
  }
  if (bytes.length !== s.crypto_box_PUBLICKEYBYTES) {
    throw new TypeError(`${name} must be ${s.crypto_box_PUBLICKEYBYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

export async function generateKeyPair(): Promise<KeyPair> {
  const s = await lib();
  const pair = s.crypto_box_keypair();
  return { publicKey: s.to_base64(pair.publicKey, BASE64), privateKey: s.to_base64(pair.privateKey, BASE64) };
}

/** True when the private key is the one the public key was derived from. */
export async function isKeyPair(keyPair: KeyPair): Promise<boolean> {
  const s = await lib();
  const privateKey = decodeKey(s, keyPair.privateKey, "private key");
  const publicKey = decodeKey(s, keyPair.publicKey, "public key");
  return s.memcmp(s.crypto_scalarmult_base(privateKey), publicKey);
}

export async function seal(plaintext: string, publicKey: string): Promise<string> {
  const s = await lib();
  return s.to_base64(
    s.crypto_box_seal(s.from_string(plaintext), decodeKey(s, publicKey, "public key")),
    BASE64,
  );
}

/** Opens a sealed box; throws when it was not sealed to this key pair or has been tampered with. */
export async function openSealed(sealed: string, keyPair: KeyPair): Promise<string> {
  const s = await lib();
  const opened = s.crypto_box_seal_open(
    s.from_base64(sealed, BASE64),
    decodeKey(s, keyPair.publicKey, "public key"),
    decodeKey(s, keyPair.privateKey, "private key"),
  );
  return s.to_string(opened);
}
