import { isMap, isScalar, LineCounter, parseDocument, stringify } from "yaml";
import { z } from "zod";
import { isCalendarDay } from "./calendar-day.ts";
import { COUNT_PLACEHOLDER_LIST, unknownCountPlaceholder } from "./count-statement.ts";
import type { PublisherLink } from "./editable-letter.ts";
import type { AddresseeGroup, TranslationContent } from "./letter-content-hash.ts";
import { isSafeHref } from "./safe-url.ts";

/*
 * Letters as files: Markdown with YAML front matter, the form coalitions keep under version control
 * (DESIGN.md, "Letter files"). A translation sits beside the main file as FILE.<lang>.md with only the keys
 * it translates. Parsing is strict — an unknown key or a malformed value is refused with its file, line
 * and key — and serialising writes keys in one fixed order, so import → export → import changes nothing.
 */

export type LetterFileSettings = {
  slug?: string | undefined;
  language: string;
  letterDate: string | null;
  publicationDate: string | null;
  signers: "organisations" | "individuals" | "both";
  categories: string[];
  /** `count_statement` of each file, by language: the coalition's wording of the count. */
  countStatements: Record<string, string>;
  /**
   * `categories` of each translation file, by language: the main file's categories in that language, in
   * their order ("" where one is left untranslated).
   */
  categoryLabels: Record<string, string[]>;
  /** The `publisher` block without its `about` (which joins the main language's text); absent when not given. */
  publisher?: LetterFilePublisher | undefined;
};

/** Who publishes the letter; `logo` is a path relative to the letter file, read by whoever imports it. */
export type LetterFilePublisher = {
  name: string | null;
  url: string | null;
  links: PublisherLink[];
  logo: string | null;
};

export type LetterFile = { settings: LetterFileSettings; translations: TranslationContent[] };

export class LetterFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly key: string | undefined,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${key ? `${key}: ` : ""}${reason}`);
  }
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2023-08-15")
  .refine(isCalendarDay, "is not a real date");
const text = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const addressees = z
  .array(
    z.object({ heading: z.string().max(300), names: z.array(text(300)).max(200) }).strict(),
    "must be a list of {heading, names}",
  )
  .max(50);
const language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language code like en or my");

const webAddress = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, "must be a web address starting with https://")
  .refine(isSafeHref, "is not a web address that may be linked");
const publisher = z
  .object(
    {
      name: z.string().trim().max(200, "must be at most 200 characters").optional(),
      url: webAddress.optional(),
      about: z.string().max(5_000).optional(),
      links: z
        .array(z.object({ label: text(80), url: webAddress }).strict(), "must be a list of {label, url}")
        .max(20)
        .optional(),
      // A path beside the letter, never outside the folder it sits in nor an address.
      logo: z
        .string()
        .trim()
        .min(1)
        .regex(
          /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\\:]+\.(png|jpe?g|webp)$/i,
          "must be a PNG, JPEG or WebP file beside the letter, e.g. logo.png",
        )
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown key ${issue.keys.join(", ")} (allowed: name, url, about, links, logo)`
          : "must be a set of name, url, about, links and logo",
    },
  )
  .strict();

// Keys are snake_case in files (what people type) and mapped to the model below.
const mainKeys = {
  title: text(300),
  subject: z.string().max(1000).optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens")
    .max(120)
    .optional(),
  letter_date: isoDate.optional(),
  publication_date: isoDate.optional(),
  language: language.optional(),
  addressees: addressees.optional(),
  salutation: z.string().max(300).optional(),
  closing: z.string().max(10_000).optional(),
  publisher_about: z.string().max(5_000).optional(),
  publisher: publisher.optional(),
  signers: z
    .enum(["organisations", "individuals", "both"], "must be organisations, individuals or both")
    .optional(),
  categories: z.array(text(80)).max(30).optional(),
  count_statement: z
    .string()
    .trim()
    .max(1000, "must be at most 1000 characters")
    .superRefine((template, ctx) => {
      const unknown = unknownCountPlaceholder(template);
      if (unknown)
        ctx.addIssue({
          code: "custom",
          message: `${unknown} is not a count (use ${COUNT_PLACEHOLDER_LIST})`,
        });
    })
    .optional(),
};
const translationKeys = {
  title: text(300),
  subject: mainKeys.subject,
  language: language.optional(),
  addressees: mainKeys.addressees,
  salutation: mainKeys.salutation,
  closing: mainKeys.closing,
  publisher_about: mainKeys.publisher_about,
  count_statement: mainKeys.count_statement,
};

type Parsed<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.infer<T[K]> };

function splitFrontMatter(file: string, source: string): { yaml: string; body: string } {
  const normalised = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(normalised);
  if (!match)
    throw new LetterFileError(file, 1, undefined, "must start with YAML front matter between two --- lines");
  return { yaml: match[1]!, body: normalised.slice(match[0].length).replace(/^\n+/, "").replace(/\s+$/, "") };
}

function parseFrontMatter<T extends Record<string, z.ZodType>>(
  file: string,
  yamlText: string,
  keys: T,
): Parsed<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  // Front matter starts on line 2 of the file (line 1 is ---).
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line + 1;
  const yamlError = doc.errors[0];
  if (yamlError)
    throw new LetterFileError(
      file,
      lineOf(yamlError.pos[0]),
      undefined,
      `malformed YAML: ${yamlError.message.split("\n")[0]}`,
    );
  if (!isMap(doc.contents))
    throw new LetterFileError(file, 2, undefined, "front matter must be a set of key: value lines");

  const lines = new Map<string, number>();
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!(key in keys)) {
      throw new LetterFileError(file, line, key, `unknown key (allowed: ${Object.keys(keys).join(", ")})`);
    }
    lines.set(key, line);
  }
  const result = z.object(keys).strict().safeParse(doc.toJS());
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? "");
    const where = issue.path.slice(1).length ? ` (at ${issue.path.slice(1).join(".")})` : "";
    const message =
      issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
    throw new LetterFileError(file, lines.get(key) ?? 2, key || undefined, `${message}${where}`);
  }
  return result.data as Parsed<T>;
}

/**
 * Parses a letter file and its translations. `translations` are the sibling files, each with the language
 * taken from its name (letter.my.md → "my"); a `language:` key inside, if present, must agree.
 */
export function parseLetterFile(
  main: { name: string; text: string },
  translations: { name: string; language: string; text: string }[] = [],
): LetterFile {
  const front = splitFrontMatter(main.name, main.text);
  const meta = parseFrontMatter(main.name, front.yaml, mainKeys);
  if (meta.publisher?.about !== undefined && meta.publisher_about !== undefined)
    throw new LetterFileError(
      main.name,
      frontMatterLine(front.yaml, "publisher"),
      "publisher",
      "about is given twice: here and in publisher_about; keep one",
    );
  const defaultLanguage = meta.language ?? "en";
  const contents: TranslationContent[] = [
    toTranslation(
      defaultLanguage,
      { ...meta, publisher_about: meta.publisher_about ?? meta.publisher?.about },
      front.body,
    ),
  ];
  const countStatements: Record<string, string> = {};
  if (meta.count_statement) countStatements[defaultLanguage] = meta.count_statement;
  const categories = meta.categories ?? [];
  const categoryLabels: Record<string, string[]> = {};
  // A translation's categories translate the main file's, one for one: never more of them.
  const keysOfTranslation = {
    ...translationKeys,
    categories: z
      .array(z.string().trim().max(80, "must be at most 80 characters"))
      .max(categories.length, `must have at most ${categories.length}, one per category of the main file`)
      .optional(),
  };
  for (const t of translations) {
    const part = splitFrontMatter(t.name, t.text);
    const tm = parseFrontMatter(t.name, part.yaml, keysOfTranslation);
    if (tm.language && tm.language !== t.language) {
      throw new LetterFileError(
        t.name,
        2,
        "language",
        `says ${tm.language} but the file name says ${t.language}`,
      );
    }
    if (contents.some((c) => c.language === t.language)) {
      throw new LetterFileError(t.name, 1, undefined, `a translation into ${t.language} is given twice`);
    }
    contents.push(toTranslation(t.language, tm, part.body));
    if (tm.count_statement) countStatements[t.language] = tm.count_statement;
    if (tm.categories?.some((label) => label !== "")) categoryLabels[t.language] = tm.categories;
  }
  return {
    settings: {
      slug: meta.slug,
      language: defaultLanguage,
      letterDate: meta.letter_date ?? null,
      publicationDate: meta.publication_date ?? null,
      signers: meta.signers ?? "organisations",
      categories,
      countStatements,
      categoryLabels,
      publisher: meta.publisher && {
        name: meta.publisher.name || null,
        url: meta.publisher.url ?? null,
        links: meta.publisher.links ?? [],
        logo: meta.publisher.logo ?? null,
      },
    },
    translations: contents,
  };
}

/** The line of a top-level key in front matter (which starts on the file's line 2). */
function frontMatterLine(yamlText: string, key: string): number {
  const at = yamlText.split("\n").findIndex((line) => line.startsWith(`${key}:`));
  return at === -1 ? 2 : at + 2;
}

function toTranslation(
  language: string,
  meta: {
    title: string;
    subject?: string | undefined;
    addressees?: AddresseeGroup[] | undefined;
    salutation?: string | undefined;
    closing?: string | undefined;
    publisher_about?: string | undefined;
  },
  body: string,
): TranslationContent {
  return {
    language,
    title: meta.title,
    subject: meta.subject ?? "",
    addressees: meta.addressees ?? [],
    salutation: meta.salutation ?? "",
    body,
    closing: meta.closing ?? "",
    publisherAbout: meta.publisher_about ?? "",
  };
}

/** Writes the main file and one file per other translation, keys in a fixed order, empty values left out. */
export function serialiseLetterFile(letter: LetterFile): { language: string; text: string }[] {
  const { settings } = letter;
  return letter.translations.map((t) => {
    const isMain = t.language === settings.language;
    const front: Record<string, unknown> = { title: t.title };
    if (t.subject) front.subject = t.subject;
    if (isMain) {
      if (settings.slug) front.slug = settings.slug;
      if (settings.letterDate) front.letter_date = settings.letterDate;
      if (settings.publicationDate) front.publication_date = settings.publicationDate;
    }
    front.language = t.language;
    if (t.addressees.length) front.addressees = t.addressees;
    if (t.salutation) front.salutation = t.salutation;
    if (t.closing) front.closing = t.closing;
    if (t.publisherAbout) front.publisher_about = t.publisherAbout;
    const countStatement = settings.countStatements[t.language];
    if (countStatement) front.count_statement = countStatement;
    if (isMain) {
      front.signers = settings.signers;
      if (settings.categories.length) front.categories = settings.categories;
      const block = publisherBlock(settings.publisher);
      if (block) front.publisher = block;
    } else if (settings.categoryLabels[t.language]?.length) {
      front.categories = settings.categoryLabels[t.language];
    }
    const yaml = stringify(front, { lineWidth: 0, defaultStringType: "PLAIN", defaultKeyType: "PLAIN" });
    return { language: t.language, text: `---\n${yaml}---\n\n${t.body}\n` };
  });
}

/** The `publisher` block as a file writes it: its parts that are set, or nothing. */
function publisherBlock(publisher: LetterFilePublisher | undefined): Record<string, unknown> | undefined {
  if (!publisher) return undefined;
  const block: Record<string, unknown> = {};
  if (publisher.name) block.name = publisher.name;
  if (publisher.url) block.url = publisher.url;
  if (publisher.links.length) block.links = publisher.links;
  if (publisher.logo) block.logo = publisher.logo;
  return Object.keys(block).length > 0 ? block : undefined;
}
