/*
 * Reading a rendered page's elements as a browser would, for tests that check what a page links to or loads.
 */

export type Tag = { name: string; attributes: [string, string][] };

/**
 * The real elements of a page (preact double-quotes every attribute value and escapes quotes inside, so a
 * quoted value cannot hide a tag boundary), with values decoded as a browser decodes them.
 */
export function tagsOf(html: string): Tag[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: [...m[2]!.matchAll(/\s([^\s"'>/=]+)(?:="([^"]*)")?/g)].map((a): [string, string] => [
      a[1]!.toLowerCase(),
      decode(a[2] ?? ""),
    ]),
  }));
}

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every link, image, form and stylesheet target of a page. */
export function targets(html: string): string[] {
  return tagsOf(html).flatMap((tag) =>
    tag.attributes.flatMap(([name, value]) => (["href", "src", "action"].includes(name) ? [value] : [])),
  );
}

/** What a browser fetches by itself (images, stylesheets, icons), unlike links, which are only followed. */
export function loadedResources(html: string): string[] {
  return tagsOf(html).flatMap((tag) => {
    const rel = tag.attributes.find(([name]) => name === "rel")?.[1] ?? "";
    return tag.attributes.flatMap(([name, value]) =>
      name === "src" || (tag.name === "link" && name === "href" && !/canonical|alternate/.test(rel))
        ? [value]
        : [],
    );
  });
}
