import { confusableSkeleton } from "./confusables.ts";
import { matchKey } from "./names.ts";

/*
 * Duplicate suggestions for listed endorsements. The same organisation arrives spelt differently: "Org for
 * Human Rights (Burma)" and "Organisation for Human Rights – Myanmar", or a Burmese name typed once in
 * Zawgyi and once in Unicode. Exact match keys catch the encoding and punctuation cases (names.ts); this
 * scores the rest:
 *
 * - token sets: the match key split into words, common words of organisation names folded to one form
 *   (organisation / organization / org → org, Burma → myanmar) and filler words dropped;
 * - Dice's coefficient on character bigrams of the folded key without spaces, which also works for Burmese,
 *   where names are often written without spaces between words.
 *
 * The higher of the two is the score. Only ever run on public (listed) names: undisclosed ones are compared
 * in the coordinator's browser, never here.
 */

/** At or above this score a pair is suggested; chosen so that abbreviations match but siblings do not. */
export const SUGGESTION_THRESHOLD = 0.8;

const SYNONYMS: Record<string, string> = {
  organisation: "org",
  organization: "org",
  organisations: "org",
  organizations: "org",
  orgs: "org",
  association: "assoc",
  assoc: "assoc",
  assn: "assoc",
  committee: "cttee",
  cttee: "cttee",
  foundation: "fdn",
  fdn: "fdn",
  international: "intl",
  intl: "intl",
  center: "centre",
  network: "net",
  burma: "myanmar",
  burmese: "myanmar",
  // Burmese: "organisation" and "association" in their common spellings.
  အဖွဲ့: "org",
  အဖွဲ့အစည်း: "org",
  အသင်း: "assoc",
  မြန်မာပြည်: "myanmar",
  မြန်မာနိုင်ငံ: "myanmar",
};

const FILLER = new Set(["the", "for", "of", "and", "in", "on", "a", "an", "to"]);

/** A name's comparable form: its tokens after folding, in a stable order. */
export type NameShape = {
  key: string;
  /** Confusable skeleton (TR39): equal for names that look alike in different characters. */
  skeleton: string;
  tokens: string[];
  /** Bigrams of the folded tokens, sorted (word order does not matter). */
  bigrams: Map<string, number>;
  /** Bigrams of the key as written, spaces removed: Burmese word breaks are typed inconsistently. */
  spacelessBigrams: Map<string, number>;
};

export function nameShape(name: string): NameShape {
  const key = matchKey(name);
  const tokens = key
    .split(" ")
    .filter((t) => t && !FILLER.has(t))
    .map((t) => SYNONYMS[t] ?? t);
  return {
    key,
    skeleton: confusableSkeleton(name),
    tokens,
    bigrams: bigramsOf([...tokens].sort().join("")),
    spacelessBigrams: bigramsOf(key.replace(/ /g, "")),
  };
}

function bigramsOf(text: string): Map<string, number> {
  const chars = [...text];
  const counts = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i]! + chars[i + 1]!;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice's coefficient on bigram multisets: 2·|A∩B| / (|A|+|B|). */
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let sizeA = 0;
  let sizeB = 0;
  let shared = 0;
  for (const n of a.values()) sizeA += n;
  for (const [pair, n] of b) {
    sizeB += n;
    shared += Math.min(n, a.get(pair) ?? 0);
  }
  return sizeA + sizeB === 0 ? 0 : (2 * shared) / (sizeA + sizeB);
}

function tokenOverlap(a: string[], b: string[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  for (const t of setA) if (setB.has(t)) shared++;
  return shared / (setA.size + setB.size - shared);
}

/** 1 for the same match key or a look-alike (same skeleton); otherwise the best of token-set Jaccard and the two bigram Dice scores, 0…1. */
export function nameSimilarity(a: NameShape, b: NameShape): number {
  if (a.key === b.key || a.skeleton === b.skeleton) return 1;
  return Math.max(
    tokenOverlap(a.tokens, b.tokens),
    dice(a.bigrams, b.bigrams),
    dice(a.spacelessBigrams, b.spacelessBigrams),
  );
}

export type DuplicatePair<T> = { first: T; second: T; score: number };

/**
 * Every pair of names scoring at or above the threshold, best first. Quadratic, but over the listed
 * endorsements of one letter (hundreds to a few thousand) with shapes computed once.
 */
export function suggestDuplicates<T extends { name: string }>(
  items: readonly T[],
  threshold = SUGGESTION_THRESHOLD,
): DuplicatePair<T>[] {
  const shapes = items.map((item) => nameShape(item.name));
  const pairs: DuplicatePair<T>[] = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const score = nameSimilarity(shapes[i]!, shapes[j]!);
      if (score >= threshold) pairs.push({ first: items[i]!, second: items[j]!, score });
    }
  }
  return pairs.sort((x, y) => y.score - x.score);
}
