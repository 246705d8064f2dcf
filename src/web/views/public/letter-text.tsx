import { type RenderedLetterText, renderLetterMarkdown } from "../../../domain/letter-markdown.ts";
import { formatDate, isLocale, type Locale, translator } from "../../../i18n/index.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";

/*
 * The letter's own text as the public page, the print view and the sign form all show it: addressees, date,
 * subject, salutation, body, closing and endnotes, rendered by the one Markdown renderer, so what a signer
 * reads is what is published. Each part is in the letter's language (with its labels and date format).
 */

export type LetterText = {
  textLocale: Locale;
  lt: ReturnType<typeof translator>;
  text: RenderedLetterText<"body" | "closing">;
};

/** The letter's text rendered, and the labels in its language (the reader's when there are none). */
export function letterText(letter: PublicLetter, locale: Locale): LetterText {
  const textLocale: Locale = isLocale(letter.language) ? letter.language : locale;
  const text = renderLetterMarkdown(
    { body: letter.body, closing: letter.closing },
    { locale: textLocale, counts: letter.counts, citations: letter.citations },
  );
  return { textLocale, lt: translator(textLocale), text };
}

/** Addressees to closing. */
export function LetterParts({ letter, shown }: { letter: PublicLetter; shown: LetterText }) {
  const { textLocale, lt, text } = shown;
  const lang = letter.partLanguage;
  const separator = lang.addressees === "my" ? "၊ " : ", ";
  return (
    <>
      <div class="addressees" lang={lang.addressees}>
        {letter.addressees.map((group, i) => (
          <div key={i}>
            <p class="addressee-heading">{group.heading}</p>
            <p>{group.names.join(separator)}</p>
          </div>
        ))}
      </div>
      {letter.letterDate ? <p class="letter-date">{formatDate(textLocale, letter.letterDate)}</p> : null}
      {letter.subject ? (
        <p class="subject" lang={lang.subject}>
          {lt("letter.subject")} {letter.subject}
        </p>
      ) : null}
      {letter.salutation ? <p lang={lang.salutation}>{letter.salutation}</p> : null}
      {/* The only raw HTML of these pages: renderLetterMarkdown's output, with raw HTML in the Markdown
          turned into text, images dropped and every link target checked by isSafeHref. */}
      <div class="letter-body" lang={lang.body} dangerouslySetInnerHTML={{ __html: text.html.body }} />
      <div
        class="letter-closing"
        lang={lang.closing}
        dangerouslySetInnerHTML={{ __html: text.html.closing }}
      />
    </>
  );
}

/** The endnotes, when there are any, under a heading of the level the page's outline needs. */
export function LetterNotes({
  letter,
  shown,
  id,
  level,
}: {
  letter: PublicLetter;
  shown: LetterText;
  id: string;
  level: "h2" | "h3";
}) {
  const Heading = level;
  if (shown.text.endnoteCount === 0) return null;
  return (
    <section class="notes" aria-labelledby={id}>
      <Heading id={id}>{shown.lt("letter.notes")}</Heading>
      {/* Sanitised HTML from renderLetterMarkdown, as the body. */}
      <div lang={letter.partLanguage.body} dangerouslySetInnerHTML={{ __html: shown.text.endnotes }} />
    </section>
  );
}
