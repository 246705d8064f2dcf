import type { ComponentChild } from "preact";
import type { Locale, MessageKey, Translate } from "../../i18n/index.ts";

/*
 * Text whose language nobody recorded (signatory names, categories, countries, campaign and publisher names)
 * still has to be marked when it is not in the page's language: screen readers pick their voice from `lang`,
 * and Burmese needs its own line height and font. The script tells us enough: Myanmar characters are
 * Burmese (the only Myanmar-script language the interface speaks), and on a Burmese page, text in Latin
 * letters with no Myanmar in it is the English original that nobody translated.
 */

const MYANMAR = /[\u1000-\u109F\uA9E0-\uA9FF\uAA60-\uAA7F]/;
const LATIN = /\p{Script=Latin}/u;

/** The lang attribute a piece of text needs on a page in `pageLocale`; undefined when it is the page's. */
export function langOf(text: string | null | undefined, pageLocale: Locale): Locale | undefined {
  if (!text) return undefined;
  if (MYANMAR.test(text)) return pageLocale === "my" ? undefined : "my";
  return pageLocale === "my" && LATIN.test(text) ? "en" : undefined;
}

/**
 * A message with elements in its placeholders, e.g. a title marked with its own `lang` inside a sentence in
 * the page's language. The message is translated first, so each language keeps its own word order.
 */
export function interpolate(t: Translate, key: MessageKey, parts: Record<string, ComponentChild>) {
  // Without parameters t() leaves every placeholder visible; split on them and put the parts in their place.
  return t(key)
    .split(/\{(\w+)\}/)
    .map((piece, i) => (i % 2 === 0 ? piece : piece in parts ? parts[piece] : `{${piece}}`));
}

/** Text as it is, or wrapped in a span marking its language when that differs from the surrounding one. */
export function Marked({ text, within }: { text: string; within: Locale }) {
  const lang = langOf(text, within);
  return lang ? <span lang={lang}>{text}</span> : text;
}
