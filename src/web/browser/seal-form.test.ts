import { gzipSync } from "node:zlib";
import sodium from "libsodium-wrappers";
import { describe, expect, it } from "vitest";
import { nativeSodium } from "../../crypto/native-sodium.ts";
import { generateKeyPair, nativeBackend, openSealed } from "../../crypto/seal.ts";
import { bundleSealForm, committedSealForm, SEAL_FORM_BUNDLE } from "./bundle.ts";

/*
 * The sign form's sealing, proven on the very file browsers load: the committed bundle is imported here
 * (in Node, where it finds no form and only exports), its boxes are opened with libsodium's
 * crypto_box_seal_open, and the bundle is checked to be what its sources build to today.
 */

type Bundle = {
  sealBox(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
  sealJson(object: Record<string, string | number | undefined>, publicKey: string): string;
};
const shipped = (): Promise<Bundle> => import(SEAL_FORM_BUNDLE);

describe("the sign form's sealed box (the shipped bundle)", () => {
  it("is opened by libsodium's crypto_box_seal_open, for every length from empty to a full form", async () => {
    const { sealBox } = await shipped();
    await sodium.ready;
    const pair = sodium.crypto_box_keypair();
    for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 500, 4096]) {
      const message = sodium.randombytes_buf(length);
      const box = sealBox(message, pair.publicKey);
      expect(box).toHaveLength(length + sodium.crypto_box_SEALBYTES);
      expect(sodium.crypto_box_seal_open(box, pair.publicKey, pair.privateKey)).toEqual(message);
    }
  });

  it("is opened by libsodium's C code (sodium-native, the server's opener where it loads)", async () => {
    const { sealBox } = await shipped();
    expect(nativeSodium).not.toBeNull();
    const native = nativeBackend(nativeSodium!);
    const pair = native.keyPair();
    for (const length of [0, 1, 32, 33, 500, 4096]) {
      const message = new Uint8Array(length).map((_, i) => (i * 31) & 0xff);
      const box = sealBox(message, pair.publicKey);
      expect(new Uint8Array(native.open(box, pair.publicKey, pair.privateKey)!)).toEqual(message);
    }
  });

  it("seals the form's JSON in base64 that the server's openSealed reads, Burmese included, without empty fields", async () => {
    const { sealJson } = await shipped();
    const pair = await generateKeyPair();
    const box = sealJson(
      { v: 1, name: "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်", website: "", country: "MM", kind: undefined },
      pair.publicKey,
    );
    expect(box).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(JSON.parse(await openSealed(box, pair))).toEqual({
      v: 1,
      name: "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်",
      country: "MM",
    });
  });

  it("uses a fresh ephemeral key every time, seals only to its recipient, and refuses bad keys", async () => {
    const { sealBox } = await shipped();
    await sodium.ready;
    const pair = sodium.crypto_box_keypair();
    const other = sodium.crypto_box_keypair();
    const message = new TextEncoder().encode("same words");
    const first = sealBox(message, pair.publicKey);
    const second = sealBox(message, pair.publicKey);
    expect(Buffer.from(first.subarray(0, 32))).not.toEqual(Buffer.from(second.subarray(0, 32)));
    expect(() => sodium.crypto_box_seal_open(first, other.publicKey, other.privateKey)).toThrow();
    const tampered = first.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(() => sodium.crypto_box_seal_open(tampered, pair.publicKey, pair.privateKey)).toThrow();
    expect(() => sealBox(message, new Uint8Array(16))).toThrow(/32 bytes/);
    // A low-order point gives an all-zero shared secret; libsodium refuses it, and so does the sealer.
    expect(() => sealBox(message, new Uint8Array(32))).toThrow();
  });

  it("is what its sources build to today, and stays light (see docs/performance.md)", async () => {
    const committed = committedSealForm();
    expect(committed, "run `npm run build:browser` and commit src/web/assets/sign/seal-form.js").toBe(
      await bundleSealForm(),
    );
    expect(committed).not.toMatch(/WebAssembly|eval\(|new Function/);
    expect(gzipSync(committed).length).toBeLessThan(24 * 1024);
  });
});
