/*
 * Labels a coalition types once in the letter's language and readers see in theirs: the sign-on categories
 * ("regional") and the publisher links' labels ("Website"). Categories are translated by their value, which
 * endorsements store and the signatory filter uses, so a translation changes only what is shown; links by
 * their address. A label without a translation shows as typed, in the letter's language.
 */

export type LabelTranslation = { categories: Record<string, string>; links: Record<string, string> };
/** By language code. */
export type LabelTranslations = Record<string, LabelTranslation>;

/** A language with nothing translated: what removing a translation leaves. */
export const NO_LABELS: LabelTranslation = { categories: {}, links: {} };

export const MAX_CATEGORY_LABEL = 80;
export const MAX_LINK_LABEL = 100;

const stringsOf = (value: unknown): Record<string, string> =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      )
    : {};

/** The stored JSON, anything malformed dropped rather than shown. */
export function parseLabelTranslations(json: string): LabelTranslations {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([language, labels]) => {
      const { categories, links } = (labels ?? {}) as Partial<Record<keyof LabelTranslation, unknown>>;
      return [language, { categories: stringsOf(categories), links: stringsOf(links) }];
    }),
  );
}

/**
 * All languages' labels with one language's replaced, empty labels and languages left out and keys in
 * order, so saving an untouched form compares equal to what is stored.
 */
export function withLabelTranslation(
  all: LabelTranslations,
  language: string,
  labels: LabelTranslation,
): LabelTranslations {
  const tidy = (record: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([, label]) => label !== "")
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  const next = { ...all, [language]: { categories: tidy(labels.categories), links: tidy(labels.links) } };
  return Object.fromEntries(
    Object.entries(next)
      .filter(([, l]) => Object.keys(l.categories).length + Object.keys(l.links).length > 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** A category as shown in `language`: its translation there, or the category as typed. */
export function categoryLabel(all: LabelTranslations, language: string, category: string): string {
  return all[language]?.categories[category] || category;
}

/** A category as a letter shows it to its reader (its `categoryLabels`); one it does not list shows as typed. */
export function shownCategory(letter: { categoryLabels: Record<string, string> }, category: string): string {
  return Object.hasOwn(letter.categoryLabels, category) ? letter.categoryLabels[category]! : category;
}

/** A publisher link's label as shown in `language`: its translation there, or the label as typed. */
export function linkLabel(
  all: LabelTranslations,
  language: string,
  link: { label: string; url: string },
): string {
  return all[language]?.links[link.url] || link.label;
}

/**
 * Labels typed one per line beside the originals, in their order (the translation page and letter files):
 * line i translates original i; an empty or missing line leaves it untranslated. Undefined when there are
 * more lines than originals, which would be a label for nothing.
 */
export function labelsFromLines(
  originals: readonly string[],
  lines: readonly string[],
): string[] | undefined {
  const trimmed = lines.map((line) => line.trim());
  while (trimmed.length > 0 && trimmed.at(-1) === "") trimmed.pop();
  return trimmed.length > originals.length ? undefined : trimmed;
}

/** Parallel labels as a record keyed by the originals' keys, empty ones left out. */
export function keyedLabels(keys: readonly string[], labels: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((key, i) => (labels[i] ? [[key, labels[i]]] : [])));
}

/**
 * The categories' labels as letter files write them: per language, one per category in its order, "" for
 * one untranslated, trailing empties left out. Languages with no category translated are left out.
 */
export function categoryLabelLists(
  all: LabelTranslations,
  categories: readonly string[],
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(all).flatMap(([language, labels]) => {
      const list = categories.map((c) => labels.categories[c] ?? "");
      while (list.length > 0 && list.at(-1) === "") list.pop();
      return list.length > 0 ? [[language, list]] : [];
    }),
  );
}

/**
 * The labels after a letter file is read: each of the file's translations says its categories' labels (or,
 * by saying none, that there are none); link labels, which files do not carry, stay as they were.
 */
export function withCategoryLabelLists(
  all: LabelTranslations,
  categories: readonly string[],
  languages: readonly string[],
  lists: Record<string, string[]>,
): LabelTranslations {
  return languages.reduce(
    (next, language) =>
      withLabelTranslation(next, language, {
        categories: keyedLabels(categories, lists[language] ?? []),
        links: all[language]?.links ?? {},
      }),
    all,
  );
}
