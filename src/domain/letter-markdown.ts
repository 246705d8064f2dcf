import MarkdownIt, { type StateCore, type Token } from "markdown-it";
import footnote from "markdown-it-footnote";
import { formatDate, formatNumber, type Locale, translator } from "../i18n/index.ts";
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
};

const CITATION = /\{\{\s*letter:([a-z0-9][a-z0-9-]{0,119})\s*\}\}/g;

/** The slugs cited by `{{letter:SLUG}}` in some Markdown texts, each once, in order of appearance. */
export function citedSlugs(texts: readonly string[]): string[] {
  const slugs = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(CITATION)) slugs.add(match[1]!);
  return [...slugs];
}

type Env = {
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
md.renderer.rules.citation_missing = (tokens, idx) =>
  `<mark class="citation-missing">${md.utils.escapeHtml(tokens[idx]!.content)}</mark>`;

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
  const total = formatNumber(env.locale, cited.total);
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
  };
  const citations = new Map((options.citations ?? []).map((c) => [c.slug, c]));
  const html = {} as Record<K, string>;
  let notes = "";
  let noteOffset = 0;
  for (const key of Object.keys(parts) as K[]) {
    const env: Env = { noteOffset, idPrefix, placeholders, locale: options.locale, citations };
    const tokens = md.parse(parts[key], env);
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
