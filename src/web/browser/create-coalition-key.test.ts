import sodium from "libsodium-wrappers-sumo";
import { describe, expect, it } from "vitest";
import {
  createKeyFile,
  openKeyFile,
  parseKeyFile,
  WrongPassphraseError,
} from "../../crypto/coalition-key.ts";
import { openKeyFileWith, type Sodium } from "../../crypto/key-file-format.ts";
import { keyFingerprint } from "../../crypto/key-fingerprint.ts";
import { openSealed, seal } from "../../crypto/seal.ts";
import { CONSOLE_BUNDLES } from "./bundle.ts";

/*
 * The console's key maker, proven on the very file browsers load (imported here in Node, where it finds no
 * page and only exports): a key file it makes opens with the CLI's openKeyFile, has exactly the shape and
 * argon2id cost `undersigned keygen` writes, and a file keygen makes opens with the shared format code the
 * bundle is built from. libsodium-sumo stands in for the copy the page loads from /admin/assets/.
 */

type Bundle = {
  makeKeyFile(
    s: Sodium,
    passphrase: string,
    options: { now: Date; campaign: string | null; strength?: "moderate" | "interactive" },
  ): { text: string; fileName: string; publicKey: string; fingerprint: string };
  passphraseStrength(passphrase: string, min: number): "weak" | "fair" | "good";
};
const shipped = (): Promise<Bundle> => import(CONSOLE_BUNDLES["create-coalition-key"].bundle);
const ready = async (): Promise<Sodium> => {
  await sodium.ready;
  return sodium;
};

const now = new Date("2026-03-01T09:00:00.000Z");
const passphrase = "ကော်ဖီ ခွက် ဘက်ထရီ staple"; // Burmese and Latin, as coordinators may type it

describe("the console's key maker (the shipped bundle)", () => {
  it("makes a key file that the CLI's openKeyFile opens, whose key opens what is sealed to it", async () => {
    const { makeKeyFile } = await shipped();
    const made = makeKeyFile(await ready(), passphrase, {
      now,
      campaign: "rohingya-2026",
      strength: "interactive",
    });
    expect(made.fileName).toBe("coalition-key-rohingya-2026.json");
    expect(made.fingerprint).toBe(keyFingerprint(made.publicKey));
    const keyPair = await openKeyFile(made.text, passphrase);
    expect(keyPair.publicKey).toBe(made.publicKey);
    expect(made.text).not.toContain(keyPair.privateKey);
    expect(await openSealed(await seal("ဖော်ပြမထားသော အဖွဲ့", made.publicKey), keyPair)).toBe("ဖော်ပြမထားသော အဖွဲ့");
    await expect(openKeyFile(made.text, "wrong passphrase, long enough")).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
  });

  it("writes exactly what keygen writes: the same fields, the same text layout, the same 'moderate' cost", async () => {
    const { makeKeyFile } = await shipped();
    const cli = await createKeyFile(passphrase, { now, campaign: "c" });
    const browser = makeKeyFile(await ready(), passphrase, { now, campaign: "c" });
    const fromBrowser = parseKeyFile(browser.text);
    const shape = (f: typeof cli.file) => ({
      ...f,
      publicKey: typeof f.publicKey,
      kdf: { ...f.kdf, salt: sodium.from_base64(f.kdf.salt, sodium.base64_variants.ORIGINAL).length },
      cipher: {
        ...f.cipher,
        nonce: sodium.from_base64(f.cipher.nonce, sodium.base64_variants.ORIGINAL).length,
        ciphertext: sodium.from_base64(f.cipher.ciphertext, sodium.base64_variants.ORIGINAL).length,
      },
    });
    expect(shape(fromBrowser)).toEqual(shape(cli.file));
    expect(fromBrowser.kdf).toMatchObject({
      opslimit: sodium.crypto_pwhash_OPSLIMIT_MODERATE,
      memlimit: sodium.crypto_pwhash_MEMLIMIT_MODERATE,
    });
    expect(Object.keys(fromBrowser)).toEqual(Object.keys(cli.file));
    expect(browser.text).toBe(`${JSON.stringify(fromBrowser, null, 2)}\n`);
    expect((await openKeyFile(browser.text, passphrase)).publicKey).toBe(browser.publicKey);
  }, 60_000);

  it("and a file keygen made opens with the format code the bundle is built from", async () => {
    const { keyPair, file } = await createKeyFile(passphrase, { now, strength: "interactive" });
    const s = await ready();
    const opened = openKeyFileWith(s, JSON.stringify(file), passphrase.normalize("NFD"));
    expect(opened.publicKey).toBe(keyPair.publicKey);
    expect(s.to_base64(opened.privateKey, s.base64_variants.ORIGINAL)).toBe(keyPair.privateKey);
  });

  it("refuses a short passphrase and hints at strength", async () => {
    const { makeKeyFile, passphraseStrength } = await shipped();
    expect(() => makeKeyFile(sodium, "too short", { now, campaign: null })).toThrow(/at least 12/);
    expect(passphraseStrength("short", 12)).toBe("weak");
    expect(passphraseStrength("twelve chars", 12)).toBe("fair");
    expect(passphraseStrength("river lantern copper meadow", 12)).toBe("good");
  });
});
