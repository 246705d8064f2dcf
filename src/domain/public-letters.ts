import type { LetterState } from "./letter-states.ts";

/*
 * What the public may see. A draft or a letter still collecting signatures may be embargoed (coalitions
 * often gather endorsements privately before publishing), so only these states are shown to anyone
 * who is not signed in. Archived letters stay readable at their address but are no longer listed.
 */
export const READABLE_LETTER_STATES: readonly LetterState[] = ["published", "closed", "archived"];
export const LISTED_LETTER_STATES: readonly LetterState[] = ["published", "closed"];

/**
 * Picks the translation to show: the reader's language when the letter has it, otherwise the letter's
 * default language, otherwise the first one (so a letter whose default was removed still shows).
 */
export function chooseTranslation<T extends { language: string }>(
  translations: readonly T[],
  requested: string,
  defaultLanguage: string,
): T | undefined {
  return (
    translations.find((t) => t.language === requested) ??
    translations.find((t) => t.language === defaultLanguage) ??
    [...translations].sort((a, b) => a.language.localeCompare(b.language))[0]
  );
}
