import { CONFUSABLE_PROTOTYPES } from "./confusables-table.ts";

/*
 * The confusable skeleton of Unicode TR39 (section 4, "Confusable Detection"): two strings that look alike
 * have the same skeleton, whatever scripts they mix ("Ministry" in Latin and "Мinistry" with a Cyrillic М).
 * A skeleton is never shown and never stored for an undisclosed name; it is compared beside the match key,
 * which catches case, accents, encodings and punctuation, while this catches characters that only look
 * the same. TR39 takes NFD; NFKC first also folds compatibility forms (full-width digits and letters,
 * mathematical alphanumerics) that the table leaves to normalisation.
 */

let prototypes: Map<number, string> | undefined;

function table(): Map<number, string> {
  if (prototypes) return prototypes;
  prototypes = new Map();
  for (const entry of CONFUSABLE_PROTOTYPES.split(/\s+/)) {
    if (!entry) continue;
    const [source, target] = entry.split(":") as [string, string];
    prototypes.set(
      Number.parseInt(source, 36),
      String.fromCodePoint(...target.split(".").map((c) => Number.parseInt(c, 36))),
    );
  }
  return prototypes;
}

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** TR39 internalSkeleton, with NFKC folded in first and spacing collapsed. */
export function confusableSkeleton(text: string): string {
  const map = table();
  const decomposed = text.normalize("NFKC").normalize("NFD").replace(DEFAULT_IGNORABLE, "");
  let mapped = "";
  for (const char of decomposed) mapped += map.get(char.codePointAt(0)!) ?? char;
  return mapped.normalize("NFD").replace(/\s+/g, " ").trim();
}
