import type { Kysely } from "kysely";
import type { Counts } from "../domain/counts.ts";
import { chooseTranslation } from "../domain/public-letters.ts";
import type { Database } from "../store/schema.ts";
import { countSignatures } from "./count-signatures.ts";
import { loadTranslations, type TranslationRow } from "./translations.ts";

/*
 * What every public list of letters (the home page and API, a campaign page, the letters a text cites)
 * does with the letters it selected: each shown in the reader's language or its default, with its counts,
 * in two queries for the lot. One place, so the lists cannot come to disagree on which title a letter shows.
 */

export type ShownLetter<L> = {
  letter: L;
  /** The translation shown: the language asked for, else the letter's default (chooseTranslation). */
  shown: TranslationRow;
  /** Every translation of the letter's current version, by language. */
  translations: TranslationRow[];
  counts: Counts;
};

/**
 * Letters at their current version, with the columns showLetters needs and the letter's date, which every
 * list shows; callers add their own columns and conditions.
 */
export function lettersAtCurrentVersion(db: Kysely<Database>) {
  return db
    .selectFrom("letters")
    .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
    .select([
      "letters.id",
      "letters.slug",
      "letters.default_language",
      "letter_versions.id as version_id",
      "letter_versions.letter_date",
    ]);
}

/** The letters in their order; one without any translation has nothing to show and is left out. */
export async function showLetters<L extends { id: number; version_id: number; default_language: string }>(
  db: Kysely<Database>,
  letters: readonly L[],
  language: string,
): Promise<ShownLetter<L>[]> {
  const [translations, counts] = await Promise.all([
    loadTranslations(
      db,
      letters.map((l) => l.version_id),
    ),
    countSignatures(
      db,
      letters.map((l) => l.id),
    ),
  ]);
  return letters.flatMap((letter) => {
    const available = translations.get(letter.version_id) ?? [];
    const shown = chooseTranslation(available, language, letter.default_language);
    // countSignatures gives every letter asked for an entry.
    return shown ? [{ letter, shown, translations: available, counts: counts.get(letter.id)! }] : [];
  });
}
