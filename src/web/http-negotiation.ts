import { isLocale, type Locale } from "../i18n/index.ts";

/*
 * Content negotiation from Accept-Language and Accept-Encoding. Every page request carries both headers,
 * and a browser sends the same few strings again and again, so each answer is remembered per header
 * string (in a small bounded map): parsing them again cost more than serving a cached page's body.
 */

export type Encoding = "identity" | "gzip" | "br";

/** A header's comma-separated values with their quality (RFC 9110 §12.4.2), best first, ties in order. */
export function qualityList(header: string): { name: string; q: number }[] {
  const items: { name: string; q: number }[] = [];
  for (const part of header.split(",")) {
    const [rawName, ...params] = part.split(";");
    const name = rawName!.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    items.push({ name, q: Number.isFinite(q) ? q : 0 });
  }
  // Array.prototype.sort is stable, so equal qualities keep the client's order.
  return items.sort((a, b) => b.q - a.q);
}

function remembered<T>(compute: (header: string) => T, max = 256): (header: string | undefined) => T {
  const answers = new Map<string, T>();
  return (header = "") => {
    let answer = answers.get(header);
    if (answer === undefined) {
      answer = compute(header);
      // Headers are client-chosen: cap the map so odd values cannot grow it without bound.
      if (answers.size >= max) answers.clear();
      answers.set(header, answer);
    }
    return answer;
  };
}

/** The first language we have that the client accepts (q=0 refuses), by its primary subtag; else English. */
export const preferredLocale = remembered((header): Locale => {
  for (const { name, q } of qualityList(header)) {
    const tag = name.split("-")[0];
    if (q > 0 && isLocale(tag)) return tag;
  }
  return "en";
});

/** Brotli, then gzip, when the client accepts it (q=0 refuses, `*` stands for the rest); else as is. */
export const preferredEncoding = remembered((header): Encoding => {
  const accepted = new Map(qualityList(header).map(({ name, q }) => [name, q]));
  const ok = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (ok("br")) return "br";
  if (ok("gzip")) return "gzip";
  return "identity";
});
