import { formatNumber, type Locale, type MessageKey, type Translate } from "../i18n/index.ts";

/*
 * The tracker's sentence ("To date, 12 of 16 recipients have not responded."), generated from counts in the
 * page's language. Like the count statement (count-statement.ts), every case is a whole sentence in the
 * catalogue rather than fragments glued together: Burmese puts the verb last, and "1 of 1 recipients have
 * not responded" or "0 of 16" read as a machine wrote them. Only public responses count (see
 * get-letter-tracker.ts), so the sentence never reveals an answer the coalition kept private.
 */

type Plural = { one: MessageKey; other: MessageKey };
/** "none" and "all" also have a form for two ("neither recipient", "both recipients"). */
type Dual = Plural & { two: MessageKey };

const NONE: Dual = {
  one: "tracker.statement.none.one",
  two: "tracker.statement.none.two",
  other: "tracker.statement.none.other",
};
const ALL: Dual = {
  one: "tracker.statement.all.one",
  two: "tracker.statement.all.two",
  other: "tracker.statement.all.other",
};
/** Chosen by how many have not responded: "1 of 16 recipients has not …" / "12 of 16 … have not …". */
const SOME: Plural = { one: "tracker.statement.some.one", other: "tracker.statement.some.other" };

const plural = (forms: Plural, count: number): MessageKey => (count === 1 ? forms.one : forms.other);
const dual = (forms: Dual, count: number): MessageKey => (count === 2 ? forms.two : plural(forms, count));

/** The sentence for a letter with `recipients` recipients of whom `responded` answered publicly; "" for none. */
export function trackerStatement(
  counts: { recipients: number; responded: number },
  locale: Locale,
  t: Translate,
): string {
  const total = Math.max(0, counts.recipients);
  const responded = Math.min(total, Math.max(0, counts.responded));
  if (total === 0) return "";
  const n = (value: number) => formatNumber(locale, value);
  if (responded === 0) return t(dual(NONE, total), { total: n(total) });
  if (responded === total) return t(dual(ALL, total), { total: n(total) });
  const pending = total - responded;
  return t(plural(SOME, pending), { pending: n(pending), total: n(total) });
}
