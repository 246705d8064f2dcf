/*
 * The order in which listed signatories are shown everywhere (letter page, full list, CSV, PDF annex):
 * grouped by category — the letter's own categories in the letter's order, then any other category, then
 * the uncategorised — and by name within a group, with the reader's collation. Code-point order puts Burmese
 * names in an order no reader expects; Intl.Collator('my') gives dictionary order.
 */

export type Categorised = { category: string | null; name: string };

export type Grouped<T> = { category: string | null; signatories: T[] };

/** Sorts a copy of `rows` into display order for a reader of `locale`. */
export function orderSignatories<T extends Categorised>(
  rows: readonly T[],
  letterCategories: readonly string[],
  locale: string,
): T[] {
  const collator = new Intl.Collator(locale, { numeric: true });
  const others = [
    ...new Set(
      rows.flatMap((r) =>
        r.category !== null && !letterCategories.includes(r.category) ? [r.category] : [],
      ),
    ),
  ].sort(collator.compare);
  const rank = new Map<string | null, number>([...letterCategories, ...others].map((c, i) => [c, i]));
  const uncategorised = rank.size;
  // Ranks are computed once per row: the comparator runs n·log n times on lists of 100,000.
  return rows
    .map((row) => ({ row, rank: rank.get(row.category) ?? uncategorised }))
    .sort((a, b) => a.rank - b.rank || collator.compare(a.row.name, b.row.name))
    .map((r) => r.row);
}

/** Splits rows already in display order into runs of one category. */
export function groupByCategory<T extends Categorised>(ordered: readonly T[]): Grouped<T>[] {
  const groups: Grouped<T>[] = [];
  for (const row of ordered) {
    const last = groups.at(-1);
    if (last && last.category === row.category) last.signatories.push(row);
    else groups.push({ category: row.category, signatories: [row] });
  }
  return groups;
}
