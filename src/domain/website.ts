/*
 * A signatory's website as typed ("example.org", "https://example.org/about", "//example.org") and as
 * stored and published: one normal form, the URL as the WHATWG parser writes it back (host lower-cased,
 * international names in punycode, so a look-alike domain shows as xn--…, dot segments resolved). Text
 * glued on in front of what was typed ("https://" + "//evil.example/x") is never stored as typed.
 */

/** The stored form of a typed website, or undefined when it is not an http(s) address with a domain. */
export function normaliseWebsite(typed: string): string | undefined {
  const text = typed.trim();
  const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text.replace(/^\/+/, "")}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  // A user name or password in a published link only serves to disguise where it goes (https://bank@evil).
  if (url.username !== "" || url.password !== "") return undefined;
  if (!url.hostname.includes(".") || url.hostname.endsWith(".")) return undefined;
  // A bare address is kept without the slash the parser adds ("https://example.org", as typed and shown).
  return url.pathname === "/" && url.search === "" && url.hash === "" ? url.origin : url.href;
}
