import { z } from "zod";

/*
 * The read-only API's answers and query, as zod schemas: the routes type what they return with them, and
 * the OpenAPI document (routes/api/openapi.ts) is generated from them with `z.toJSONSchema`, so the
 * description cannot drift from the code. Objects are strict: a field added to an answer without being
 * added here is a type error in the route and a failure of the contract test.
 */

const count = z.number().int().min(0);
const nullableText = z.string().nullable();
const uri = z.string().meta({ format: "uri" });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/);
const moment = z.string().meta({ format: "date-time" });

export const VisibilityCounts = z.strictObject({ total: count, listed: count, undisclosed: count });

export const Counts = z.strictObject({
  total: count,
  listed: count,
  undisclosed: count,
  byKind: z.strictObject({ organisation: VisibilityCounts, individual: VisibilityCounts }),
});

const campaignRef = z.strictObject({ slug: z.string(), name: z.string(), url: uri, isExample: z.boolean() });

/** What a letter in the list and a letter on its own both begin with, in the same order as the answers. */
const letterHeading = {
  slug: z.string(),
  url: uri,
  state: z.enum(["published", "closed", "archived"]),
  language: z.string(),
  languages: z.array(z.string()),
  title: z.string(),
  subject: z.string(),
};
const letterDates = {
  letterDate: day.nullable(),
  publicationDate: day.nullable(),
  signers: z.enum(["organisations", "individuals", "both"]),
};

export const LetterSummary = z.strictObject({
  ...letterHeading,
  ...letterDates,
  campaign: campaignRef,
  counts: Counts,
});

export const LetterList = z.strictObject({ letters: z.array(LetterSummary) });

/** A Markdown part of the letter as written and as the page renders it. */
const letterPart = z.strictObject({
  markdown: z.string().meta({
    description:
      "As written: footnotes, `{{total}}`-style count placeholders and `{{letter:SLUG}}` citations.",
  }),
  html: z.string().meta({
    description:
      "Rendered and sanitised as on the letter page: placeholders filled, endnote references linked.",
  }),
  language: z
    .string()
    .meta({ description: "The part's language: the default language's while untranslated." }),
});

export const Letter = z.strictObject({
  ...letterHeading,
  translations: z
    .array(z.strictObject({ language: z.string(), url: uri, api: uri }))
    .meta({ description: "Every language the letter is published in: its page and this answer in it." }),
  addressees: z.array(z.strictObject({ heading: z.string(), names: z.array(z.string()) })),
  salutation: z.string(),
  body: letterPart,
  closing: letterPart,
  endnotes: z.strictObject({ count: count, html: z.string() }).meta({
    description:
      "The footnotes of body and closing, numbered across both, as one HTML list (empty when none).",
  }),
  countStatement: z.strictObject({ text: z.string(), language: z.string(), template: nullableText }).meta({
    description:
      "The count sentence as the page shows it, its language, and the coalition's template with {{total}}, {{listed}}, {{undisclosed}} and {{waiting}} (null: the generated sentence).",
  }),
  ...letterDates,
  categories: z.array(z.string()),
  categoryLabels: z.record(z.string(), z.string()).meta({
    description:
      "Each category as shown in the language asked for (the coalition's translation, or the category as written); `categories` stay the values the signatory filters take.",
  }),
  campaign: campaignRef,
  publisher: z.strictObject({
    name: nullableText,
    url: uri.nullable(),
    about: z.string(),
    links: z.array(z.strictObject({ label: z.string(), url: uri })),
  }),
  counts: Counts,
  waiting: count.meta({
    description:
      "Of the undisclosed endorsements, how many will be listed once their signer's condition is met (so many others listed, or a day). Like the counts, it moves only at the letter's count releases and coordinators' actions.",
  }),
  log: z
    .strictObject({ letter: z.string(), size: z.number().int().min(1) })
    .nullable()
    .meta({
      description:
        "Where the counts can be checked: the letter's name in the transparency log at /log/ and the tree size whose entries, counted (endorsements minus withdrawals), give these counts. Null until the letter is in the log.",
    }),
});

/** The signatories route's query: the same search, filters and pages as the public list. */
export const SignatoriesQuery = z.object({
  q: z.string().max(200).optional().meta({ description: "Search: case-, accent- and Zawgyi-insensitive." }),
  category: z.string().max(200).optional(),
  country: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000_000).optional(),
});

export const SignatoryPage = z.strictObject({
  letter: z.string(),
  query: z.strictObject({ q: z.string(), category: nullableText, country: nullableText }),
  page: z.number().int().min(1),
  pages: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  matching: count.meta({ description: "Listed signatories matching the search." }),
  counts: z.strictObject({ listed: count, total: count }),
  signatories: z.array(
    z.strictObject({
      name: z.string(),
      nameAlt: nullableText,
      category: nullableText,
      country: nullableText.meta({ description: "ISO 3166-1 alpha-2 code" }),
      website: uri.nullable(),
    }),
  ),
});

export const Tracker = z.strictObject({
  letter: z.string(),
  statement: z.string().meta({ description: 'E.g. "To date, 12 of 16 recipients have not responded."' }),
  counts: z.strictObject({ recipients: count, delivered: count, responded: count }),
  recipients: z.array(
    z.strictObject({
      name: z.string(),
      office: nullableText,
      country: nullableText,
      addresseeGroup: nullableText,
      deliveredAt: moment.nullable(),
      deliveryMethod: z.enum(["email", "hand", "post", "embassy"]).nullable(),
      respondedAt: day.nullable(),
      responses: z.array(
        z.strictObject({ receivedAt: day, summary: z.string(), documentUrl: uri.nullable() }),
      ),
      stances: z.array(z.strictObject({ label: z.string(), translations: z.record(z.string(), z.string()) })),
    }),
  ),
});

export const Updates = z.strictObject({
  letter: z.string(),
  feed: uri.meta({ description: "The same updates as an Atom feed." }),
  updates: z
    .array(
      z.strictObject({
        id: z.number().int(),
        url: uri,
        language: z.string(),
        title: z.string(),
        body: z.string().meta({ description: "Markdown, as written." }),
        html: z.string().meta({ description: "The body rendered and sanitised, as on the letter page." }),
        publishedAt: moment,
      }),
    )
    .meta({ description: "Newest first." }),
});

export const ApiError = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

/** The answers by the names the OpenAPI document gives them. */
export const API_SCHEMAS = {
  Error: ApiError,
  VisibilityCounts,
  Counts,
  LetterSummary,
  LetterList,
  Letter,
  SignatoryPage,
  Tracker,
  Updates,
} as const;
