const NUMERALS: readonly [number, string][] = [
  [1000, "m"],
  [900, "cm"],
  [500, "d"],
  [400, "cd"],
  [100, "c"],
  [90, "xc"],
  [50, "l"],
  [40, "xl"],
  [10, "x"],
  [9, "ix"],
  [5, "v"],
  [4, "iv"],
  [1, "i"],
];

/**
 * Lower-case roman numerals (1 → "i", 16 → "xvi"), the numbering open letters use for endnotes. Only
 * 1…3999 have a standard form; anything else is a programming error, not something to print.
 */
export function toRoman(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 3999) {
    throw new RangeError(`toRoman: ${value} is not a whole number from 1 to 3999`);
  }
  let rest = value;
  let out = "";
  for (const [amount, numeral] of NUMERALS) {
    while (rest >= amount) {
      out += numeral;
      rest -= amount;
    }
  }
  return out;
}
