import { describe, expect, it } from "vitest";
import { nameShape, nameSimilarity, SUGGESTION_THRESHOLD, suggestDuplicates } from "./duplicates.ts";

const score = (a: string, b: string) => nameSimilarity(nameShape(a), nameShape(b));

describe("duplicate suggestions", () => {
  it("matches abbreviations, synonyms and spelling variants of one organisation", () => {
    expect(score("Org for Human Rights (Burma)", "Organisation for Human Rights – Myanmar")).toBe(1);
    expect(score("ALTSEAN-Burma", "Altsean Burma")).toBe(1);
    expect(score("Karen Women's Organisation", "Karen Womens Organization")).toBeGreaterThanOrEqual(
      SUGGESTION_THRESHOLD,
    );
    expect(score("Women's League of Burma", "Women League of Burma")).toBeGreaterThanOrEqual(
      SUGGESTION_THRESHOLD,
    );
  });

  it("matches a Burmese name typed in Zawgyi, or with a stray space, with its Unicode form", () => {
    // "မြန်မာ" typed in Zawgyi (as the sign-on tests type it) and in Unicode.
    expect(score("ျမန္မာ့အမ်ိဳးသမီးအဖြဲ႕", "မြန်မာ့အမျိုးသမီးအဖွဲ့")).toBe(1);
    expect(score("မြန်မာ့အမျိုးသမီးအဖွဲ့", "မြန်မာ့အမျိုးသမီး အဖွဲ့")).toBeGreaterThanOrEqual(SUGGESTION_THRESHOLD);
  });

  it("does not suggest different organisations that share words", () => {
    expect(score("Karen Women's Organisation", "Kachin Women's Association")).toBeLessThan(
      SUGGESTION_THRESHOLD,
    );
    expect(score("Human Rights Watch", "Human Rights Foundation")).toBeLessThan(SUGGESTION_THRESHOLD);
    expect(score("Burma Campaign UK", "Burma Human Rights Network")).toBeLessThan(SUGGESTION_THRESHOLD);
  });

  it("lists each likely pair once, best first, earlier item first", () => {
    const pairs = suggestDuplicates([
      { name: "Athan" },
      { name: "Org for Human Rights (Burma)" },
      { name: "Karen Womens Organization" },
      { name: "Organisation for Human Rights – Myanmar" },
      { name: "Karen Women's Organisation" },
    ]);
    expect(pairs.map((p) => [p.first.name, p.second.name])).toEqual([
      ["Org for Human Rights (Burma)", "Organisation for Human Rights – Myanmar"],
      ["Karen Womens Organization", "Karen Women's Organisation"],
    ]);
  });
});
