import { countStatement } from "../domain/count-statement.ts";
import type { Counts } from "../domain/counts.ts";
import type { AddresseeGroup } from "../domain/letter-content-hash.ts";
import type { Signers } from "../domain/letter-settings.ts";
import { formatDate, formatNumber, isLocale, type Locale, translator } from "../i18n/index.ts";

/*
 * The mail that delivers a letter to an official: the letter's own text in its language (addressees, date,
 * subject, salutation, body, closing, the count statement), the public link, and the PDF attached by the
 * caller. Plain text only: the PDF carries the typeset letter with its annex, and a text part reads
 * everywhere, including on the government webmail that strips HTML.
 */

export type DeliveryMessage = { subject: string; text: string };

/** What the mail needs of the published letter (a public letter as get-public-letter.ts reads it). */
export type DeliveredLetter = {
  language: string;
  title: string;
  subject: string;
  addressees: AddresseeGroup[];
  salutation: string;
  body: string;
  closing: string;
  letterDate: string | null;
  signers: Signers;
  counts: Counts;
};

export function deliveryMessage(letter: DeliveredLetter, link: string): DeliveryMessage {
  const locale: Locale = isLocale(letter.language) ? letter.language : "en";
  const t = translator(locale);
  const n = (value: number) => formatNumber(locale, value);
  const placeholders: Record<string, string> = {
    total: n(letter.counts.total),
    listed: n(letter.counts.listed),
    undisclosed: n(letter.counts.undisclosed),
  };
  const fill = (markdown: string) =>
    markdown.replace(
      /\{\{\s*(total|listed|undisclosed)\s*\}\}/g,
      (_whole, name: string) => placeholders[name]!,
    );
  const separator = locale === "my" ? "၊ " : ", ";
  const parts = [
    letter.title,
    ...letter.addressees.map((group) => `${group.heading}\n${group.names.join(separator)}`),
    letter.letterDate ? formatDate(locale, letter.letterDate) : "",
    letter.subject ? `${t("letter.subject")} ${letter.subject}` : "",
    letter.salutation,
    fill(letter.body),
    fill(letter.closing),
    countStatement(letter.counts, letter.signers, locale, t),
    t("delivery.mailLink", { link }),
    t("delivery.mailAttached"),
  ];
  return {
    subject: letter.subject ? `${letter.title}: ${letter.subject}` : letter.title,
    text: `${parts.filter((p) => p.trim() !== "").join("\n\n")}\n`,
  };
}
