import sodium from "libsodium-wrappers-sumo";
import { describe, expect, it } from "vitest";
import { matchKey } from "../domain/names.ts";
import { KEYED_MATCH_SECRET_CONTEXT, keyedMatchKeyer, keyedMatchSecret } from "./keyed-match-key.ts";

describe("keyed match keys", () => {
  it("derive the campaign secret exactly as the browser's libsodium does", async () => {
    await sodium.ready;
    const { privateKey } = sodium.crypto_box_keypair();
    const bySodium = sodium.crypto_generichash(
      32,
      sodium.from_string(KEYED_MATCH_SECRET_CONTEXT),
      privateKey,
    );
    expect(Buffer.from(keyedMatchSecret(privateKey)).toString("hex")).toBe(
      Buffer.from(bySodium).toString("hex"),
    );
  });

  it("recognise the same name on one letter, and differ across letters and coalition keys", async () => {
    await sodium.ready;
    const secret = keyedMatchSecret(sodium.crypto_box_keypair().privateKey);
    const other = keyedMatchSecret(sodium.crypto_box_keypair().privateKey);
    const key = matchKey("Karen Women's Organisation");
    const onLetter = keyedMatchKeyer(secret, 7);
    expect(onLetter(matchKey("  karen women's  organisation "))).toBe(onLetter(key));
    expect(onLetter(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedMatchKeyer(secret, 8)(key)).not.toBe(onLetter(key));
    expect(keyedMatchKeyer(other, 7)(key)).not.toBe(onLetter(key));
  });
});
