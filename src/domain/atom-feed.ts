/*
 * An Atom 1.0 feed (RFC 4287) as text. Every value is escaped here, titles included, and entry content is
 * sent as type="html", i.e. the (already sanitised) HTML escaped once more, so a feed reader shows exactly
 * what the page shows and nothing a coordinator typed can become markup in the feed itself.
 */

export type AtomEntry = {
  /** A permanent, unique IRI: the entry's address on the letter page. */
  id: string;
  title: string;
  /** ISO-8601 time. */
  updated: string;
  link: string;
  /** Sanitised HTML (renderLetterMarkdown's output). */
  html: string;
  language: string;
};

export type AtomFeed = {
  id: string;
  title: string;
  /** The feed's own address (rel="self") and the page it belongs to (rel="alternate"). */
  selfUrl: string;
  pageUrl: string;
  author: string;
  language: string;
  /** Used when there is no entry yet; otherwise the newest entry's time. */
  updated: string;
  entries: AtomEntry[];
};

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids outright would make the whole feed unreadable: drop them.
  const allowed = [...text].filter((c) => {
    const code = c.codePointAt(0)!;
    return (
      (code >= 0x20 || code === 0x9 || code === 0xa || code === 0xd) && code !== 0xfffe && code !== 0xffff
    );
  });
  return allowed.join("").replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function atomFeed(feed: AtomFeed): string {
  // ISO-8601 UTC times sort as text: the newest of the entries, or the feed's own time without any.
  const updated = [feed.updated, ...feed.entries.map((e) => e.updated)].sort().at(-1)!;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(feed.language)}">`,
    `  <id>${escapeXml(feed.id)}</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.pageUrl)}"/>`,
    `  <author><name>${escapeXml(feed.author)}</name></author>`,
  ];
  for (const entry of feed.entries) {
    lines.push(
      `  <entry xml:lang="${escapeXml(entry.language)}">`,
      `    <id>${escapeXml(entry.id)}</id>`,
      `    <title>${escapeXml(entry.title)}</title>`,
      `    <updated>${escapeXml(entry.updated)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(entry.link)}"/>`,
      `    <content type="html">${escapeXml(entry.html)}</content>`,
      "  </entry>",
    );
  }
  lines.push("</feed>", "");
  return lines.join("\n");
}
