import { describe, expect, it } from "vitest";
import { toRoman } from "./roman.ts";

describe("toRoman", () => {
  it("numbers endnotes the way open letters do", () => {
    const first16 = Array.from({ length: 16 }, (_, i) => toRoman(i + 1));
    expect(first16).toEqual([
      "i",
      "ii",
      "iii",
      "iv",
      "v",
      "vi",
      "vii",
      "viii",
      "ix",
      "x",
      "xi",
      "xii",
      "xiii",
      "xiv",
      "xv",
      "xvi",
    ]);
  });

  it("handles the subtractive forms and the upper bound", () => {
    expect(toRoman(40)).toBe("xl");
    expect(toRoman(49)).toBe("xlix");
    expect(toRoman(99)).toBe("xcix");
    expect(toRoman(444)).toBe("cdxliv");
    expect(toRoman(1994)).toBe("mcmxciv");
    expect(toRoman(3999)).toBe("mmmcmxcix");
  });

  it("refuses numbers that have no roman form", () => {
    for (const bad of [0, -1, 1.5, 4000, Number.NaN]) expect(() => toRoman(bad)).toThrow(RangeError);
  });
});
