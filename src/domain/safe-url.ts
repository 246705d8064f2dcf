/*
 * Which link targets may appear in anything a coordinator or signatory typed (letter text, endnotes,
 * publisher links, signatory websites). An allow-list, because the deny-list approach loses to look-alikes:
 * browsers strip tabs and newlines inside a scheme ("java\tscript:"), ignore leading control characters and
 * spaces, compare schemes case-insensitively, and Markdown decodes entities ("&#106;avascript:") before the
 * URL reaches us.
 */

const ALLOWED_SCHEMES = new Set(["http", "https", "mailto"]);

/**
 * True for http(s) and mailto links, and for relative and fragment links (which stay on our origin, or
 * in the case of "//host/…" use the page's own http(s) scheme). Everything else is refused.
 */
export function isSafeHref(href: string): boolean {
  // Our pages escape attributes, so "&#106;avascript:" reaches a browser as harmless text; but the same
  // string copied into an HTML export or a mail would decode, so both readings must pass.
  const entityDecoded = decodeCharacterReferences(href);
  return hasAllowedScheme(href) && (entityDecoded === href || hasAllowedScheme(entityDecoded));
}

function hasAllowedScheme(href: string): boolean {
  // What a browser does before parsing the scheme: drop leading/trailing C0 controls and spaces, and
  // remove tabs and newlines anywhere.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  const cleaned = href.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
  // Percent-encoding cannot form a scheme in a browser, but it must not hide one from this check either.
  const decoded = decodeRepeatedly(cleaned);
  // Only the part before the first "/", "?" or "#" can hold a scheme; a colon there means "scheme:".
  const head = /^[^/?#\\]*/.exec(decoded)![0];
  const colon = head.indexOf(":");
  if (colon === -1) return true;
  const scheme = head.slice(0, colon).toLowerCase();
  return ALLOWED_SCHEMES.has(scheme);
}

const NAMED_REFERENCES: Record<string, string> = { colon: ":", tab: "\t", newline: "\n" };

/** Numeric character references and the named ones that can spell a scheme or hide one. */
function decodeCharacterReferences(value: string): string {
  return value.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));?/gi, (whole, dec, hex, name) => {
    if (dec || hex) {
      const code = Number.parseInt(dec ?? hex, dec ? 10 : 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_REFERENCES[String(name).toLowerCase()] ?? whole;
  });
}

function decodeRepeatedly(value: string): string {
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
