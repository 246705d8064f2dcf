import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { displayName, matchKey, zawgyiToUnicode } from "./names.ts";

const myanmarChar = fc.integer({ min: 0x1000, max: 0x109f }).map((c) => String.fromCodePoint(c));
const myanmarText = fc.array(myanmarChar, { minLength: 1, maxLength: 24 }).map((a) => a.join(""));
const anyName = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  myanmarText,
);

describe("Zawgyi handling", () => {
  it("converts confident Zawgyi to Unicode", () => {
    expect(zawgyiToUnicode("ျမန္မာ")).toEqual({ text: "မြန်မာ", converted: true });
    expect(displayName("ျမန္မာႏိုင္ငံ လူ႔အခြင့္အေရး")).toBe("မြန်မာနိုင်ငံ လူ့အခွင့်အရေး");
  });

  it("leaves Unicode Burmese, Latin and ambiguous short strings untouched", () => {
    expect(zawgyiToUnicode("မြန်မာ")).toEqual({ text: "မြန်မာ", converted: false });
    expect(zawgyiToUnicode("ကို").converted).toBe(false);
    expect(zawgyiToUnicode("Rivers Network").converted).toBe(false);
  });

  it("gives the Zawgyi and Unicode spellings of a name the same key", () => {
    expect(matchKey("ျမန္မာ လူ႔အခြင့္အေရး ကြန္ရက္")).toBe(matchKey("မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်"));
  });
});

describe("matchKey", () => {
  it("folds case, accents, punctuation, spacing and zero-width characters", () => {
    expect(matchKey("  Café   Solidarité—Network (Burma) ")).toBe("cafe solidarite network burma");
    expect(matchKey("CAFE SOLIDARITE NETWORK, BURMA.")).toBe("cafe solidarite network burma");
    expect(matchKey("Rivers\u200B Net\uFEFFwork")).toBe(matchKey("Rivers Network"));
  });

  it("puts Myanmar medials and vowels in one order and reads the digit ၀ as the letter ဝ", () => {
    // ကျွန်ုပ်တို့ typed with medial wa before medial ya, and with u before medial wa.
    expect(matchKey("က\u103D\u103Bန်ုပ်တို့ အဖွဲ့")).toBe(matchKey("က\u103B\u103Dန်ုပ်တို့ အဖွဲ့"));
    expect(matchKey("အဖ\u102F\u103Dဲ့ ကွန်ရက်")).toBe(matchKey("အဖ\u103D\u102Fဲ့ ကွန်ရက်"));
    expect(matchKey("၀န်ထမ်း")).toBe(matchKey("ဝန်ထမ်း"));
  });

  it("keeps names apart that differ in a medial", () => {
    expect(matchKey("ကျား")).not.toBe(matchKey("ကြား"));
    expect(matchKey("မြန်မာ")).not.toBe(matchKey("မျန်မာ"));
  });

  it("never throws and is idempotent", () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const key = matchKey(name);
        expect(matchKey(key)).toBe(key);
        expect(displayName(displayName(name))).toBe(displayName(name));
      }),
      { numRuns: 5000 },
    );
  });

  it("never merges two Unicode Burmese names that differ only in one medial", () => {
    const medials = ["\u103B", "\u103C", "\u103D", "\u103E"];
    const consonant = fc.integer({ min: 0x1000, max: 0x1021 }).map((c) => String.fromCodePoint(c));
    const tail = fc.constantFrom("", "\u102C", "\u1031\u102C", "\u102D", "\u102F", "\u1036", "\u103A");
    fc.assert(
      fc.property(
        consonant,
        fc.constantFrom(...medials),
        fc.constantFrom(...medials),
        tail,
        fc.constantFrom("", " အဖွဲ့", " ကွန်ရက်"),
        (c, m1, m2, t, rest) => {
          fc.pre(m1 !== m2);
          const a = `${c}${m1}${t}${rest}`;
          const b = `${c}${m2}${t}${rest}`;
          // Only compare names the detector treats as Unicode, as a signer's Unicode input would be.
          fc.pre(!zawgyiToUnicode(a).converted && !zawgyiToUnicode(b).converted);
          expect(matchKey(a)).not.toBe(matchKey(b));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
