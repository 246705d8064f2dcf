import sodium from "libsodium-wrappers";
import sumo from "libsodium-wrappers-sumo";
import { describe, expect, it } from "vitest";
import { nativeKeyFileSodium, wasmKeyFileSodium } from "./coalition-key.ts";
import { buildKeyFile, keyFileText, openKeyFileWith, WrongPassphraseError } from "./key-file-format.ts";
import { loadNativeSodium, nativeSodium } from "./native-sodium.ts";
import { boxBackend, nativeBackend, openSealedWith, sealWith, wasmBackend } from "./seal.ts";

/*
 * sodium-native and libsodium's WebAssembly build side by side: each opens what the other seals and each
 * opens the key files the other writes, and a missing or broken native binary gives the WebAssembly build
 * instead of an error. (The browser's own sealer is checked against the native opener in seal-form.test.ts.)
 */

const native = nativeSodium;
const now = new Date("2026-03-01T09:00:00.000Z");
const passphrase = "correct horse battery staple";
const LENGTHS = [0, 1, 31, 32, 33, 500, 4096];

describe("sodium-native", () => {
  it("loads here and is what this process seals with", async () => {
    expect(native, "sodium-native should load on this machine (npm ci installs it)").not.toBeNull();
    expect((await boxBackend()).name).toBe("sodium-native");
  });

  it("gives way quietly to WebAssembly when it is missing or does not work", () => {
    expect(
      loadNativeSodium(() => {
        throw Object.assign(new Error("Cannot find module 'sodium-native'"), { code: "MODULE_NOT_FOUND" });
      }),
    ).toBeNull();
    expect(loadNativeSodium(() => ({}))).toBeNull();
    // A build whose sealed box does not open is refused as well, rather than sealing garbage.
    const broken = { ...native!, crypto_box_seal_open: () => false };
    expect(loadNativeSodium(() => broken)).toBeNull();
  });
});

describe("sealed boxes across the two builds", () => {
  it("native boxes open with libsodium-wrappers and libsodium-sumo (the console's), and theirs natively", async () => {
    await sodium.ready;
    await sumo.ready;
    const fast = nativeBackend(native!);
    const wasm = await wasmBackend();
    const pair = sodium.crypto_box_keypair();
    for (const length of LENGTHS) {
      const message = sodium.randombytes_buf(length);
      const box = fast.seal(message, pair.publicKey);
      expect(box).toHaveLength(length + sodium.crypto_box_SEALBYTES);
      expect(sodium.crypto_box_seal_open(box, pair.publicKey, pair.privateKey)).toEqual(message);
      expect(sumo.crypto_box_seal_open(box, pair.publicKey, pair.privateKey)).toEqual(message);
      const back = wasm.seal(message, pair.publicKey);
      expect(new Uint8Array(fast.open(back, pair.publicKey, pair.privateKey)!)).toEqual(message);
    }
  });

  it("agree through the base64 API, Burmese included, and both refuse a wrong key or a tampered box", async () => {
    const fast = nativeBackend(native!);
    const wasm = await wasmBackend();
    const pair = fast.keyPair();
    const keyPair = {
      publicKey: Buffer.from(pair.publicKey).toString("base64"),
      privateKey: Buffer.from(pair.privateKey).toString("base64"),
    };
    const other = wasm.keyPair();
    const otherPair = {
      publicKey: Buffer.from(other.publicKey).toString("base64"),
      privateKey: Buffer.from(other.privateKey).toString("base64"),
    };
    const text = "ဖော်ပြမထားသော အဖွဲ့ · Undisclosed Group";
    for (const [sealer, opener] of [
      [fast, wasm],
      [wasm, fast],
    ] as const) {
      const box = sealWith(sealer, text, keyPair.publicKey);
      expect(openSealedWith(opener, box, keyPair)).toBe(text);
      expect(() => openSealedWith(opener, box, otherPair)).toThrow(/does not open/);
      const tampered = Buffer.from(box, "base64");
      tampered[tampered.length - 1]! ^= 1;
      expect(() => openSealedWith(opener, tampered.toString("base64"), keyPair)).toThrow(/does not open/);
    }
    expect(Buffer.from(fast.publicKeyOf(other.privateKey))).toEqual(Buffer.from(other.publicKey));
    expect(Buffer.from(wasm.publicKeyOf(pair.privateKey))).toEqual(Buffer.from(pair.publicKey));
  });
});

describe("key files across the two builds", () => {
  it("a file written with either opens with the other, and a wrong passphrase fails alike", async () => {
    const fast = nativeKeyFileSodium(native!);
    const wasm = await wasmKeyFileSodium();
    for (const [maker, opener] of [
      [fast, wasm],
      [wasm, fast],
    ] as const) {
      const pair = maker.crypto_box_keypair();
      const file = buildKeyFile(maker, passphrase, pair, { now, strength: "interactive" });
      const opened = openKeyFileWith(opener, keyFileText(file), passphrase);
      expect(Buffer.from(opened.privateKey)).toEqual(Buffer.from(pair.privateKey));
      expect(opened.publicKey).toBe(Buffer.from(pair.publicKey).toString("base64"));
      expect(() => openKeyFileWith(opener, keyFileText(file), `${passphrase}!`)).toThrow(
        WrongPassphraseError,
      );
    }
  });

  it("derives the same argon2id key as the WebAssembly build from the same salt", async () => {
    const fast = nativeKeyFileSodium(native!);
    const wasm = await wasmKeyFileSodium();
    const salt = wasm.randombytes_buf(wasm.crypto_pwhash_SALTBYTES);
    const derive = (s: typeof fast) =>
      Buffer.from(
        s.crypto_pwhash(
          32,
          "မြန်မာ passphrase",
          salt,
          s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
          s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
          s.crypto_pwhash_ALG_ARGON2ID13,
        ),
      );
    expect(derive(fast)).toEqual(derive(wasm));
    expect(() => fast.from_base64("not base64!", fast.base64_variants.ORIGINAL)).toThrow();
  });
});
