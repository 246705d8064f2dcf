import { AppError } from "../../domain/app-error.ts";
import type { EditableLetter } from "../../domain/editable-letter.ts";
import {
  keyedLabels,
  type LabelTranslation,
  labelsFromLines,
  MAX_CATEGORY_LABEL,
  MAX_LINK_LABEL,
} from "../../domain/label-translations.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { typed } from "./parse-form.ts";

/*
 * The translation page's labels: the letter's categories and its publisher links' labels, typed one per
 * line beside the originals (domain/label-translations.ts), so the page works without JavaScript and a
 * translator reads each line against the one it translates.
 */

export type LabelValues = { categoryLabels: string; linkLabels: string };

export function labelValuesFromBody(body: unknown): LabelValues {
  return { categoryLabels: typed(body, "categoryLabels") ?? "", linkLabels: typed(body, "linkLabels") ?? "" };
}

/** What the page shows for `language`: each original's translation on its line, empty where there is none. */
export function labelValuesOf(letter: EditableLetter, language: string): LabelValues {
  const labels = letter.labelTranslations[language];
  return {
    categoryLabels: letter.categories.map((c) => labels?.categories[c] ?? "").join("\n"),
    linkLabels: letter.publisher.links.map((l) => labels?.links[l.url] ?? "").join("\n"),
  };
}

/**
 * The typed labels as a translation, or a validation error naming the field: more lines than originals
 * (a label for nothing) or a label longer than the original's own limit.
 */
export function labelTranslationFrom(letter: EditableLetter, values: LabelValues): LabelTranslation {
  const fields: Record<string, MessageKey> = {};
  const fieldParams: Record<string, Record<string, number>> = {};
  const read = (field: keyof LabelValues, originals: string[], max: number): string[] => {
    const labels = labelsFromLines(originals, values[field].split(/\r\n?|\n/));
    if (labels === undefined) {
      fields[field] = "letters.labelsTooMany";
      fieldParams[field] = { count: originals.length };
      return [];
    }
    if (labels.some((label) => label.length > max)) {
      fields[field] = "field.tooLong";
      fieldParams[field] = { max };
    }
    return labels;
  };
  const categories = read("categoryLabels", letter.categories, MAX_CATEGORY_LABEL);
  const links = read(
    "linkLabels",
    letter.publisher.links.map((l) => l.label),
    MAX_LINK_LABEL,
  );
  if (Object.keys(fields).length > 0) throw new AppError("validation", {}, fields, fieldParams);
  return {
    categories: keyedLabels(letter.categories, categories),
    links: keyedLabels(
      letter.publisher.links.map((l) => l.url),
      links,
    ),
  };
}
