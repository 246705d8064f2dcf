import { formatNumber, type Locale, type MessageKey, type Translate } from "../i18n/index.ts";
import type { Counts, VisibilityCounts } from "./counts.ts";
import type { Signers } from "./letter-settings.ts";
import type { SignatureKind } from "./signature-states.ts";

/*
 * The closing count statement of a letter ("This letter is endorsed by 551 organisations, including the 298
 * organisations listed below and 253 organisations which have chosen not to disclose their names."),
 * generated from counts in the page's language. Each case is a whole sentence in the catalogue, not a
 * sentence glued from fragments, because word order differs between languages (Burmese puts the verb last)
 * and because "1 organisations", "including the 0 organisations listed below" or "all 1 of which" read as
 * a machine wrote them. Only the two parts of the mixed case are phrases, and each of those is per number.
 */

type Plural = { one: MessageKey; other: MessageKey };
type KindMessages = {
  none: MessageKey;
  allListed: Plural;
  allUndisclosed: Plural;
  mixed: MessageKey;
  listed: Plural;
  undisclosed: Plural;
};

/** A sentence's base key whose catalogue has both `.one` and `.other`. */
type PluralBase = {
  [K in MessageKey]: K extends `${infer Base}.one`
    ? `${Base}.other` extends MessageKey
      ? Base
      : never
    : never;
}[MessageKey];

const forms = (base: PluralBase): Plural => ({
  one: `${base}.one` as MessageKey,
  other: `${base}.other` as MessageKey,
});

/** Each kind's sentences, named alike in the catalogue (`counts.organisation.…`, `counts.individual.…`). */
const messagesOf = (kind: SignatureKind): KindMessages => ({
  none: `counts.${kind}.none`,
  allListed: forms(`counts.${kind}.allListed`),
  allUndisclosed: forms(`counts.${kind}.allUndisclosed`),
  mixed: `counts.${kind}.mixed`,
  listed: forms(`counts.${kind}.listed`),
  undisclosed: forms(`counts.${kind}.undisclosed`),
});

const MESSAGES: Record<SignatureKind, KindMessages> = {
  organisation: messagesOf("organisation"),
  individual: messagesOf("individual"),
};

/** Individuals after organisations on a letter that takes both: "It is also endorsed by …". */
const INDIVIDUALS_ALSO: Omit<KindMessages, "none" | "listed" | "undisclosed"> = {
  allListed: forms("counts.individual.also.allListed"),
  allUndisclosed: forms("counts.individual.also.allUndisclosed"),
  mixed: "counts.individual.also.mixed",
};

const plural = (sentence: Plural, count: number): MessageKey => (count === 1 ? sentence.one : sentence.other);

function kindSentence(
  counts: VisibilityCounts,
  messages: KindMessages,
  sentences: Omit<KindMessages, "none" | "listed" | "undisclosed">,
  locale: Locale,
  t: Translate,
): string {
  const n = (value: number) => formatNumber(locale, value);
  const { total, listed, undisclosed } = counts;
  if (undisclosed === 0) return t(plural(sentences.allListed, total), { total: n(total) });
  if (listed === 0) return t(plural(sentences.allUndisclosed, total), { total: n(total) });
  return t(sentences.mixed, {
    total: n(total),
    listed: t(plural(messages.listed, listed), { count: n(listed) }),
    undisclosed: t(plural(messages.undisclosed, undisclosed), { count: n(undisclosed) }),
  });
}

/**
 * The statement for a letter's counts: one sentence per kind of signer the letter takes and has, organisations
 * first. A letter that takes only organisations never mentions individuals (and the reverse); a letter that
 * takes both but has only one kind so far speaks of that kind alone.
 */
export function countStatement(counts: Counts, signers: Signers, locale: Locale, t: Translate): string {
  const organisations = counts.byKind.organisation;
  const individuals = counts.byKind.individual;
  if (signers === "organisations") {
    return organisations.total === 0
      ? t(MESSAGES.organisation.none)
      : kindSentence(organisations, MESSAGES.organisation, MESSAGES.organisation, locale, t);
  }
  if (signers === "individuals" || organisations.total === 0) {
    if (individuals.total > 0) {
      return kindSentence(individuals, MESSAGES.individual, MESSAGES.individual, locale, t);
    }
    return t(signers === "individuals" ? MESSAGES.individual.none : "counts.none");
  }
  const first = kindSentence(organisations, MESSAGES.organisation, MESSAGES.organisation, locale, t);
  if (individuals.total === 0) return first;
  return `${first} ${kindSentence(individuals, MESSAGES.individual, INDIVIDUALS_ALSO, locale, t)}`;
}

const SUMMARY_NOUNS: Record<SignatureKind, Plural> = {
  organisation: forms("counts.summary.organisations"),
  individual: forms("counts.summary.individuals"),
};

/**
 * The short form of the statement for lists of letters (home page, campaign page): "Endorsed by 1
 * organisation", "Endorsed by 40 organisations and 3 individuals", "Not endorsed yet". Like the statement,
 * it speaks only of the kinds the letter takes and has, and picks the singular or plural form per number
 * rather than gluing a count to a plural noun.
 */
export function countSummary(counts: Counts, signers: Signers, locale: Locale, t: Translate): string {
  const noun = (kind: SignatureKind) => {
    const total = counts.byKind[kind].total;
    return t(plural(SUMMARY_NOUNS[kind], total), { count: formatNumber(locale, total) });
  };
  const organisations = signers !== "individuals" && counts.byKind.organisation.total > 0;
  const individuals = signers !== "organisations" && counts.byKind.individual.total > 0;
  if (organisations && individuals) {
    return t("counts.summary.endorsedByBoth", {
      organisations: noun("organisation"),
      individuals: noun("individual"),
    });
  }
  if (organisations) return t("counts.summary.endorsedBy", { signers: noun("organisation") });
  if (individuals) return t("counts.summary.endorsedBy", { signers: noun("individual") });
  return t("counts.summary.none");
}

/** The counts a coalition's wording may use, as `{{name}}`. */
export const COUNT_PLACEHOLDERS = ["total", "listed", "undisclosed", "waiting"] as const;
type CountPlaceholder = (typeof COUNT_PLACEHOLDERS)[number];
/** The same as written: "{{total}}, {{listed}}, {{undisclosed}}, {{waiting}}". */
export const COUNT_PLACEHOLDER_LIST = COUNT_PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ");
export type TemplateCounts = Pick<Counts, CountPlaceholder>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const isCountPlaceholder = (name: string): name is CountPlaceholder =>
  (COUNT_PLACEHOLDERS as readonly string[]).includes(name);

/**
 * The first `{{…}}` in a template that is not a count, or undefined. Saving refuses such a wording: a
 * misspelt count would otherwise reach readers and ministers as "{{totl}}".
 */
export function unknownCountPlaceholder(template: string): string | undefined {
  for (const match of template.matchAll(PLACEHOLDER)) if (!isCountPlaceholder(match[1]!)) return match[0];
  return undefined;
}

/**
 * A coalition's own wording of the count, "This letter is endorsed by {{total}} organisations …", with the
 * counts in the template's language's digits. Other `{{…}}` (only in wordings saved before they were
 * refused) stay visible, so a typo shows on the page.
 */
export function fillCountTemplate(template: string, counts: TemplateCounts, locale: Locale): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    isCountPlaceholder(name) ? formatNumber(locale, counts[name]) : whole,
  );
}

/**
 * The statement a letter shows: its template for the language its text is shown in when the coalition set
 * one (in that language, like the text), otherwise the generated sentence in the reader's language.
 */
export function shownCountStatement(
  letter: { counts: Counts; signers: Signers; language: string; countStatementTemplate: string | null },
  locale: Locale,
  t: Translate,
): { text: string; language: string } {
  if (letter.countStatementTemplate) {
    const templateLocale: Locale = letter.language === "my" ? "my" : "en";
    return {
      text: fillCountTemplate(letter.countStatementTemplate, letter.counts, templateLocale),
      language: letter.language,
    };
  }
  return { text: countStatement(letter.counts, letter.signers, locale, t), language: locale };
}
