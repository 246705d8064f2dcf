import type { EndorsementColumn } from "./endorsement-file.ts";

/*
 * First guesses for the console's column mapping: which header of an uploaded file holds which canonical
 * column, from the headers' words in English and Burmese as online forms (Google Forms above all) and
 * hand-made sheets write them. A guess only pre-fills a menu the coordinator checks, so being wrong costs a
 * click; being silent about a column that is there costs more, hence the generous patterns.
 *
 * Two passes: a header that is exactly a known name wins ("Email address" → email); then patterns, in an
 * order that settles overlaps ("Contact email" is email before contact, "Name in Burmese" is name_alt before
 * name, "Show our name?" is visibility before name). Each column and each header is used at most once, the
 * leftmost header first.
 */

const fold = (header: string) =>
  header
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s_\-–—]+/g, " ")
    .replace(/[?:*.()[\]]/g, "")
    .trim();

const EXACT: Record<EndorsementColumn, readonly string[]> = {
  name: [
    "name",
    "organisation",
    "organization",
    "organisation name",
    "organization name",
    "name of organisation",
    "name of organization",
    "org name",
    "full name",
    "signatory",
    "အမည်",
    "အဖွဲ့အစည်း",
    "အဖွဲ့အစည်းအမည်",
    "အဖွဲ့အစည်း အမည်",
    "အဖွဲ့အမည်",
  ],
  name_alt: ["name alt", "name in burmese", "burmese name", "name in myanmar", "မြန်မာအမည်", "မြန်မာ အမည်"],
  kind: ["kind", "type", "signing as", "အမျိုးအစား"],
  category: ["category", "group", "ကဏ္ဍ", "အုပ်စု"],
  country: ["country", "နိုင်ငံ"],
  website: ["website", "web site", "url", "homepage", "ဝက်ဘ်ဆိုက်"],
  contact: ["contact", "contact person", "contact name", "ဆက်သွယ်ရန်ပုဂ္ဂိုလ်", "ဆက်သွယ်ရမည့်သူ"],
  email: ["email", "e mail", "email address", "e mail address", "အီးမေးလ်", "အီးမေးလ်လိပ်စာ"],
  visibility: ["visibility", "listed", "undisclosed", "ဖော်ပြမှု"],
  signed_at: ["signed at", "timestamp", "date", "signed on", "date signed", "submitted at", "ရက်စွဲ", "အချိန်"],
};

const PATTERNS: readonly (readonly [EndorsementColumn, RegExp])[] = [
  ["email", /e ?mail|အီးမေးလ်/],
  ["signed_at", /timestamp|date|submitted|time|အချိန်|ရက်စွဲ/],
  ["website", /website|web site|url|homepage|facebook page|ဝက်ဘ်/],
  ["visibility", /listed|disclose|publish|public|anonym|show (our|your|my|the) name|ဖော်ပြ/],
  ["contact", /contact|ဆက်သွယ်/],
  ["name_alt", /(name|အမည်).*(burmese|myanmar|မြန်မာ|second|other)|(burmese|myanmar|မြန်မာ).*(name|အမည်)/],
  ["country", /country|နိုင်ငံ/],
  ["category", /category|ကဏ္ဍ/],
  ["kind", /kind|type|individual|signing as|အမျိုးအစား/],
  ["name", /name|organi[sz]ation|အမည်|အဖွဲ့/],
];

/** The guessed position of each canonical column in the header; columns without a likely header are absent. */
export function guessColumns(header: readonly string[]): Partial<Record<EndorsementColumn, number>> {
  const folded = header.map(fold);
  const guesses: Partial<Record<EndorsementColumn, number>> = {};
  const taken = new Set<number>();
  const take = (column: EndorsementColumn, at: number) => {
    guesses[column] = at;
    taken.add(at);
  };
  for (const [column, names] of Object.entries(EXACT) as [EndorsementColumn, readonly string[]][]) {
    const at = folded.findIndex((h, i) => !taken.has(i) && names.includes(h));
    if (at >= 0) take(column, at);
  }
  for (const [column, pattern] of PATTERNS) {
    if (guesses[column] !== undefined) continue;
    const at = folded.findIndex((h, i) => !taken.has(i) && h !== "" && pattern.test(h));
    if (at >= 0) take(column, at);
  }
  return guesses;
}
