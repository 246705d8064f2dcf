import { shownCountStatement } from "../domain/count-statement.ts";
import type { Counts } from "../domain/counts.ts";
import { shownCategory } from "../domain/label-translations.ts";
import type { ShownText } from "../domain/letter-content-hash.ts";
import { renderLetterMarkdown } from "../domain/letter-markdown.ts";
import type { Signers } from "../domain/letter-settings.ts";
import { toRoman } from "../domain/roman.ts";
import { formatDate, isLocale, type Locale, translator } from "../i18n/index.ts";

/*
 * The mail that delivers a letter to an official: the letter's own text in its language (addressees, date,
 * subject, salutation, body, closing, the count statement, the listed signatories the statement speaks of,
 * the endnotes as notes), the public link, and the PDF attached by the caller. The body and closing go
 * through the letter page's own renderer (letter-markdown.ts), once: the HTML part is that rendering, and
 * the text part is derived from the very same HTML (htmlToText), so the two never say different things and
 * neither shows Markdown (`[^1]`, `*…*`) to a minister. The text part reads on government webmail that
 * strips HTML.
 */

export type DeliveryMessage = { subject: string; text: string; html: string };

/** What the mail needs of the published letter (a public letter as get-public-letter.ts reads it). */
export type DeliveredLetter = ShownText & {
  letterDate: string | null;
  signers: Signers;
  counts: Counts;
  /** The coalition's wording of the count in the letter's language, or null for the generated sentence. */
  countStatementTemplate: string | null;
  /** Listed signatories by category, as the public list shows them; empty when there are none. */
  signatories?: { category: string | null; signatories: { name: string; nameAlt: string | null }[] }[];
  /** Categories in the mail's language, when the letter translated them (domain/label-translations.ts). */
  categoryLabels?: Record<string, string>;
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

export function deliveryMessage(
  letter: DeliveredLetter,
  links: { letter: string; signatories: string },
): DeliveryMessage {
  const locale: Locale = isLocale(letter.language) ? letter.language : "en";
  const t = translator(locale);
  const rendered = renderLetterMarkdown(
    { body: letter.body, closing: letter.closing },
    { locale, counts: letter.counts, idPrefix: "mail-note" },
  );
  const separator = locale === "my" ? "၊ " : ", ";
  const groups = (letter.signatories ?? []).filter((g) => g.signatories.length > 0);
  const paragraph = (text: string) => (text.trim() === "" ? "" : `<p>${escapeHtml(text)}</p>`);
  const html = [
    `<h1>${escapeHtml(letter.title)}</h1>`,
    ...letter.addressees.map(
      (group) =>
        `<p><strong>${escapeHtml(group.heading)}</strong><br>${escapeHtml(group.names.join(separator))}</p>`,
    ),
    letter.letterDate ? paragraph(formatDate(locale, letter.letterDate)) : "",
    letter.subject
      ? `<p><strong>${escapeHtml(t("letter.subject"))}</strong> ${escapeHtml(letter.subject)}</p>`
      : "",
    paragraph(letter.salutation),
    rendered.html.body,
    rendered.html.closing,
    // The sentence the letter page shows, the coalition's own wording when it set one.
    paragraph(shownCountStatement(letter, locale, t).text),
    groups.length > 0 ? `<h2>${escapeHtml(t("delivery.mailSignatories"))}</h2>` : "",
    ...groups.map(
      (g) =>
        `${g.category ? `<h3>${escapeHtml(shownCategory({ categoryLabels: letter.categoryLabels ?? {} }, g.category))}</h3>` : ""}<ul>${g.signatories
          .map((s) => `<li>${escapeHtml(s.name)}${s.nameAlt ? ` (${escapeHtml(s.nameAlt)})` : ""}</li>`)
          .join("")}</ul>`,
    ),
    `<p><a href="${escapeHtml(links.signatories)}">${escapeHtml(t("delivery.mailSignatoriesLink"))}</a></p>`,
    rendered.endnotes ? `<h2>${escapeHtml(t("delivery.mailNotes"))}</h2>${rendered.endnotes}` : "",
    `<p>${escapeHtml(t("delivery.mailLinkLead"))} <a href="${escapeHtml(links.letter)}">${escapeHtml(links.letter)}</a></p>`,
    paragraph(t("delivery.mailAttached")),
  ]
    .filter((part) => part !== "")
    .join("\n");
  const lang = escapeHtml(locale);
  return {
    subject: letter.subject ? `${letter.title}: ${letter.subject}` : letter.title,
    html: `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(letter.title)}</title></head><body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">\n${withMailListStyles(html)}\n</body></html>\n`,
    text: htmlToText(html),
  };
}

/** Mail clients know no stylesheet of ours: a Burmese-numbered list hides its own numbers inline. */
const withMailListStyles = (html: string) =>
  html.replaceAll('<ol class="burmese-numbers"', '<ol class="burmese-numbers" style="list-style: none"');

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#") && name !== "#39") return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/**
 * Plain text from the mail's HTML (the letter renderer's small, known set of elements): paragraphs and
 * headings as blocks, list items numbered as the page numbers them (endnotes in roman numerals), a link as
 * its text with the address after it, endnote references as [i], the notes' back-links left out.
 */
export function htmlToText(html: string): string {
  let text = html
    .replace(/\s*<a [^>]*class="endnote-backref"[^>]*>.*?<\/a>/g, "")
    .replace(/<sup class="endnote-ref"><a [^>]*>(.*?)<\/a><\/sup>/g, "$1")
    .replace(/<a href="([^"]*)"[^>]*>(.*?)<\/a>/g, (_whole, href: string, inner: string) => {
      const url = decode(href);
      const label = decode(inner.replace(/<[^>]+>/g, ""));
      return url.startsWith("#") || url === label ? label : `${label} (${url})`;
    });
  // A list item is one line: no paragraph inside it, no line break after it.
  text = text
    .replace(/(<li[^>]*>)\s*<p>/g, "$1")
    .replace(/<\/p>\s*<\/li>/g, "</li>")
    .replace(/<\/li>\s*/g, "");
  // Ordered lists: each item gets its number (an endnote its roman numeral, from its value).
  text = text.replace(/<ol([^>]*)>([\s\S]*?)<\/ol>/g, (_whole, attributes: string, items: string) => {
    const roman = /type="i"/.test(attributes);
    // A Burmese-numbered list carries its numbers ("၁။") as text already.
    if (/class="burmese-numbers"/.test(attributes)) return items.replace(/<li[^>]*>/g, "\n");
    let n = Number(/start="(\d+)"/.exec(attributes)?.[1] ?? 1);
    return items.replace(/<li([^>]*)>/g, (_li, liAttributes: string) => {
      const value = /value="(\d+)"/.exec(liAttributes);
      if (value) n = Number(value[1]);
      const marker = roman ? `${toRoman(n)}.` : `${n}.`;
      n++;
      return `\n${marker} `;
    });
  });
  text = text
    .replace(/<li[^>]*>/g, "\n- ")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<\/(p|h[1-6]|ul|ol|blockquote)>/g, "\n\n")
    .replace(/<(p|h[1-6]|ul|ol|blockquote)[^>]*>/g, "\n\n")
    .replace(/<[^>]+>/g, "");
  return `${decode(text)
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

/**
 * A letter update mailed to the signatories who asked for updates, rendered like the update on the letter
 * page (its Markdown through the letter renderer, notes after it) with the same HTML and text parts.
 */
export function updateMessage(update: {
  language: string;
  title: string;
  body: string;
  counts: Counts;
  link: string;
  unsubscribe: string;
}): { html: string; text: string } {
  const locale: Locale = isLocale(update.language) ? update.language : "en";
  const t = translator(locale);
  const rendered = renderLetterMarkdown(
    { body: update.body },
    { locale, counts: update.counts, idPrefix: "mail-note" },
  );
  const html = [
    `<h1>${escapeHtml(update.title)}</h1>`,
    rendered.html.body,
    rendered.endnotes ? `<h2>${escapeHtml(t("delivery.mailNotes"))}</h2>${rendered.endnotes}` : "",
    `<p>${escapeHtml(t("updates.mailLinkLead"))} <a href="${escapeHtml(update.link)}">${escapeHtml(update.link)}</a></p>`,
    `<p>${escapeHtml(t("updates.mailWhy"))} <a href="${escapeHtml(update.unsubscribe)}">${escapeHtml(update.unsubscribe)}</a></p>`,
  ]
    .filter((part) => part !== "")
    .join("\n");
  return {
    html: `<!doctype html>\n<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(update.title)}</title></head><body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">\n${withMailListStyles(html)}\n</body></html>\n`,
    text: htmlToText(html),
  };
}
