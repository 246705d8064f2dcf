import MarkdownIt, { type StateCore, type Token } from "markdown-it";
import footnote from "markdown-it-footnote";
import { formatDate, formatNumber, type Locale, type MessageKey, translator } from "../i18n/index.ts";
import type { Counts } from "./counts.ts";
import { toRoman } from "./roman.ts";
import { isSafeHref } from "./safe-url.ts";

/*
 * Letter text is Markdown written by coordinators (and, through imports, by anyone who sent them a file).
 * The output is inserted into pages unescaped, so this module is the sanitiser: raw HTML is off (tags are
 * shown as text), images are off (no third-party requests, no tracking pixels), and every link target must
 * pass isSafeHref on top of markdown-it's own check. Footnotes become endnotes numbered i, ii, iii … across
 * all parts of the letter, with links both ways. `{{total}}`, `{{listed}}` and `{{undisclosed}}` are
 * replaced by live counts in the page's number format; unknown placeholders stay visible so a typo shows.
 * `{{letter:SLUG}}` cites another public letter of the same campaign: its title (linked), its letter date
 * and its current total, in the text's language; a slug the caller could not resolve (unknown, draft,
 * another campaign's) renders as a visible marker instead, so a broken citation shows rather than vanishes.
 */

/** A letter cited by `{{letter:SLUG}}`, as the caller resolved it (see get-cited-letters.ts). */
export type Citation = {
  slug: string;
  title: string;
  language: string;
  letterDate: string | null;
  total: number;
  /** The total by kind, so the citation says "551 organisations" rather than a bare number. */
  organisations?: number;
  individuals?: number;
};

const CITATION = /\{\{\s*letter:([a-z0-9][a-z0-9-]{0,119})\s*\}\}/g;

/** The slugs cited by `{{letter:SLUG}}` in some Markdown texts, each once, in order of appearance. */
export function citedSlugs(texts: readonly string[]): string[] {
  const slugs = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(CITATION)) slugs.add(match[1]!);
  return [...slugs];
}

type Env = {
  /** Source lines that began with a Burmese number ("၁။ "), read as items of an ordered list. */
  burmeseItemLines: ReadonlySet<number>;
  /** Endnotes of earlier parts, so numbering continues from the body into the closing. */
  noteOffset: number;
  idPrefix: string;
  placeholders: Record<string, string>;
  locale: Locale;
  citations: ReadonlyMap<string, Citation>;
  footnotes?: { list?: unknown[] };
};

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.disable(["image"]);
md.use(footnote);

const markdownItValidateLink = md.validateLink.bind(md);
// markdown-it hands us the target after decoding entities and percent-encoding it; both checks must pass.
md.validateLink = (url) => markdownItValidateLink(url) && isSafeHref(url);

const noteNumber = (token: Token, env: Env) => env.noteOffset + (token.meta.id as number) + 1;
const noteId = (token: Token, env: Env) => `${env.idPrefix}-${toRoman(noteNumber(token, env))}`;
/** The first reference to a note is "…-ref"; a note cited again gets "…-ref-2", "…-ref-3". */
const refId = (token: Token, env: Env) => {
  const sub = token.meta.subId as number;
  return `${noteId(token, env)}-ref${sub > 0 ? `-${sub + 1}` : ""}`;
};

md.renderer.rules.footnote_ref = (tokens, idx, _options, env: Env) => {
  const token = tokens[idx]!;
  const numeral = toRoman(noteNumber(token, env));
  return `<sup class="endnote-ref"><a href="#${noteId(token, env)}" id="${refId(token, env)}">[${numeral}]</a></sup>`;
};
md.renderer.rules.footnote_open = (tokens, idx, _options, env: Env) => {
  const token = tokens[idx]!;
  return `<li id="${noteId(token, env)}" value="${noteNumber(token, env)}">`;
};
md.renderer.rules.footnote_close = () => "</li>\n";
md.renderer.rules.footnote_anchor = (tokens, idx, _options, env: Env) =>
  ` <a href="#${refId(tokens[idx]!, env)}" class="endnote-backref">\u21a9\ufe0e</a>`;
// A bare address in the text is its own label: the print view shows every other link's address after it,
// and this one needs no second copy.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  if (token.markup === "linkify" || token.markup === "autolink") token.attrJoin("class", "bare-url");
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.citation_missing = (tokens, idx) =>
  `<mark class="citation-missing">${md.utils.escapeHtml(tokens[idx]!.content)}</mark>`;

/** "551 organisations", "3 individuals", "551 organisations and 3 individuals", in the text's language. */
function endorsers(cited: Citation, locale: Locale, t: ReturnType<typeof translator>): string {
  const organisations = cited.organisations ?? 0;
  const individuals = cited.individuals ?? 0;
  const noun = (count: number, one: MessageKey, other: MessageKey) =>
    t(count === 1 ? one : other, { count: formatNumber(locale, count) });
  const orgs = noun(organisations, "counts.summary.organisations.one", "counts.summary.organisations.other");
  const people = noun(individuals, "counts.summary.individuals.one", "counts.summary.individuals.other");
  if (organisations > 0 && individuals > 0)
    return t("cite.both", { organisations: orgs, individuals: people });
  if (individuals > 0) return people;
  if (organisations > 0 || cited.organisations !== undefined) return orgs;
  return formatNumber(locale, cited.total);
}

/*
 * Burmese demands are numbered "၁။ ၂။ ၃။", which Markdown does not know: written one per line they ran
 * together into one paragraph. Such a line is read as the item "1. " of an ordered list (so the list, its
 * start and its nesting follow Markdown's own rules), and the list keeps its Burmese numbers: each item
 * begins with its number as text ("၁။"), the list's own numbers hidden by the stylesheet. As text, the
 * numbers show in every reader, in print and in mail clients that know no list styles, and are copied with it.
 */
const BURMESE_ITEM = /^( {0,3})([\u1040-\u1049]{1,9})\u104b[ \t]+/;

/** The Markdown with Burmese-numbered lines turned into Markdown list items, and which lines they were. */
function readBurmeseNumbers(text: string): { markdown: string; lines: Set<number> } {
  const lines = new Set<number>();
  const markdown = text
    .split("\n")
    .map((line, i) =>
      line.replace(BURMESE_ITEM, (_whole, indent: string, digits: string) => {
        lines.add(i);
        const number = [...digits].map((d) => d.charCodeAt(0) - 0x1040).join("");
        return `${indent}${Number(number)}. `;
      }),
    )
    .join("\n");
  return { markdown, lines };
}

md.core.ruler.push("burmese_numbers", (state: StateCore) => {
  const { burmeseItemLines } = state.env as Env;
  if (burmeseItemLines.size === 0) return;
  const tokens = state.tokens;
  tokens.forEach((list, at) => {
    if (list.type !== "ordered_list_open") return;
    const first = tokens[at + 1];
    if (!first?.map || !burmeseItemLines.has(first.map[0])) return;
    list.attrJoin("class", "burmese-numbers");
    let n = Number(list.attrGet("start") ?? 1);
    for (let i = at + 1; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.type === "ordered_list_close" && token.level === list.level) break;
      if (token.type !== "list_item_open" || token.level !== list.level + 1) continue;
      // The item's first line of text, inside its paragraph (hidden or not), begins with the number.
      const inline = tokens.slice(i + 1).find((t) => t.type === "inline");
      const marker = Object.assign(new state.Token("list_marker", "", 0), {
        content: `${formatNumber("my", n++)}\u104b`,
      });
      inline?.children?.unshift(marker);
    }
  });
});
md.renderer.rules.list_marker = (tokens, idx) =>
  `<span class="list-marker">${md.utils.escapeHtml(tokens[idx]!.content)}</span> `;

/** The tokens standing for one `{{letter:SLUG}}`: a link to the letter (plain text inside another link). */
function citationTokens(state: StateCore, slug: string, insideLink: boolean): Token[] {
  const env = state.env as Env;
  const t = translator(env.locale);
  const cited = env.citations.get(slug);
  const text = (content: string) => Object.assign(new state.Token("text", "", 0), { content });
  if (!cited) {
    return [
      Object.assign(new state.Token("citation_missing", "", 0), { content: t("cite.missing", { slug }) }),
    ];
  }
  const total = endorsers(cited, env.locale, t);
  const details = cited.letterDate
    ? t("cite.details", { date: formatDate(env.locale, cited.letterDate), count: total })
    : t("cite.detailsUndated", { count: total });
  const title: Token[] = [text(cited.title)];
  if (!insideLink) {
    const open = new state.Token("link_open", "a", 1);
    open.attrs = [
      ["href", `/letters/${cited.slug}`],
      ["class", "citation"],
    ];
    if (cited.language !== env.locale) open.attrs.push(["lang", cited.language]);
    title.unshift(open);
    title.push(new state.Token("link_close", "a", -1));
  }
  return [...title, text(` ${details}`)];
}

// After text_join, so a placeholder split across text tokens has been joined back together.
md.core.ruler.push("letter_placeholders", (state: StateCore) => {
  const values = (state.env as Env).placeholders;
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    const children: Token[] = [];
    let linkDepth = 0;
    for (const token of block.children) {
      if (token.type === "link_open") linkDepth++;
      if (token.type === "link_close") linkDepth--;
      if (token.type !== "text") {
        children.push(token);
        continue;
      }
      token.content = token.content.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
        Object.hasOwn(values, name) ? values[name]! : whole,
      );
      // A citation becomes several tokens (a link, its title, the details): split the text around it.
      let rest = 0;
      for (const match of token.content.matchAll(CITATION)) {
        if (match.index > rest)
          children.push(
            Object.assign(new state.Token("text", "", 0), {
              content: token.content.slice(rest, match.index),
            }),
          );
        children.push(...citationTokens(state, match[1]!, linkDepth > 0));
        rest = match.index + match[0].length;
      }
      if (rest === 0) children.push(token);
      else if (rest < token.content.length)
        children.push(Object.assign(new state.Token("text", "", 0), { content: token.content.slice(rest) }));
    }
    block.children = children;
  }
});

export type LetterMarkdownOptions = {
  /** Numbers in placeholders are written the page's way (Myanmar digits on Burmese pages). */
  locale: Locale;
  counts: Counts;
  /** Prefix of endnote ids, so two rendered texts on one page cannot collide. Default "note". */
  idPrefix?: string;
  /** Letters cited by `{{letter:SLUG}}` that may be shown; any other cited slug renders as a marker. */
  citations?: readonly Citation[];
};

export type RenderedLetterText<K extends string> = {
  /** Sanitised HTML of each part, in the order given, with endnote references but without the notes. */
  html: Record<K, string>;
  /** The endnotes of all parts as one `<ol type="i">`, or "" when there are none. */
  endnotes: string;
  endnoteCount: number;
};

/**
 * Renders the Markdown parts of a letter (e.g. body then closing). Endnotes are numbered across the parts in
 * the order given and returned separately, because a letter prints them after its closing and count
 * statement, not after the paragraph that cites them.
 */
export function renderLetterMarkdown<K extends string>(
  parts: Record<K, string>,
  options: LetterMarkdownOptions,
): RenderedLetterText<K> {
  const idPrefix = options.idPrefix ?? "note";
  if (!/^[a-z][a-z0-9-]*$/.test(idPrefix))
    throw new TypeError(`renderLetterMarkdown: bad idPrefix ${idPrefix}`);
  const placeholders = {
    total: formatNumber(options.locale, options.counts.total),
    listed: formatNumber(options.locale, options.counts.listed),
    undisclosed: formatNumber(options.locale, options.counts.undisclosed),
    waiting: formatNumber(options.locale, options.counts.waiting),
  };
  const citations = new Map((options.citations ?? []).map((c) => [c.slug, c]));
  const html = {} as Record<K, string>;
  let notes = "";
  let noteOffset = 0;
  for (const key of Object.keys(parts) as K[]) {
    const { markdown, lines } = readBurmeseNumbers(parts[key]);
    const env: Env = {
      burmeseItemLines: lines,
      noteOffset,
      idPrefix,
      placeholders,
      locale: options.locale,
      citations,
    };
    const tokens = md.parse(markdown, env);
    const blockStart = tokens.findIndex((t) => t.type === "footnote_block_open");
    const textTokens = blockStart === -1 ? tokens : tokens.slice(0, blockStart);
    html[key] = md.renderer.render(textTokens, md.options, env);
    if (blockStart !== -1) {
      // Only the items: the surrounding list is shared by every part.
      const noteTokens = tokens.slice(blockStart + 1).filter((t) => t.type !== "footnote_block_close");
      notes += md.renderer.render(noteTokens, md.options, env);
    }
    noteOffset += env.footnotes?.list?.length ?? 0;
  }
  return {
    html,
    endnotes: noteOffset > 0 ? `<ol class="endnotes" type="i">\n${notes}</ol>\n` : "",
    endnoteCount: noteOffset,
  };
}
