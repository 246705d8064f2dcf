import { describe, expect, it } from "vitest";
import { canonicalJson, letterContentHash, type TranslationContent } from "./letter-content-hash.ts";

const en: TranslationContent = {
  language: "en",
  title: "Title",
  subject: "Subject",
  addressees: [{ heading: "The Ministers of", names: ["A", "B"] }],
  salutation: "Dear Ministers,",
  body: "Body",
  closing: "Closing",
  publisherAbout: "About",
};
const my: TranslationContent = { ...en, language: "my", title: "ခေါင်းစဉ်" };

describe("letterContentHash", () => {
  it("does not depend on key or translation order", () => {
    const reordered = Object.fromEntries(Object.entries(en).reverse()) as TranslationContent;
    const a = letterContentHash({ letterDate: "2025-09-15", translations: [en, my] });
    const b = letterContentHash({ letterDate: "2025-09-15", translations: [my, reordered] });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it("changes with any endorsed content: text, addressee order, letter date", () => {
    const base = letterContentHash({ letterDate: "2025-09-15", translations: [en] });
    const variants = [
      { letterDate: "2025-09-16", translations: [en] },
      { letterDate: "2025-09-15", translations: [{ ...en, body: "Body." }] },
      {
        letterDate: "2025-09-15",
        translations: [{ ...en, addressees: [{ heading: "The Ministers of", names: ["B", "A"] }] }],
      },
      { letterDate: "2025-09-15", translations: [en, my] },
    ];
    for (const v of variants) expect(letterContentHash(v)).not.toBe(base);
  });

  it("refuses two translations in one language", () => {
    expect(() => letterContentHash({ letterDate: null, translations: [en, en] })).toThrow(TypeError);
  });

  it("writes canonical JSON", () => {
    expect(canonicalJson({ b: [2, { d: 1, c: "ü" }], a: null, z: undefined })).toBe(
      '{"a":null,"b":[2,{"c":"ü","d":1}]}',
    );
  });
});
