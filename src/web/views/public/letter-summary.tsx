import { countSummary } from "../../../domain/count-statement.ts";
import type { Counts } from "../../../domain/counts.ts";
import type { Signers } from "../../../domain/letter-settings.ts";
import { formatDate } from "../../../i18n/index.ts";
import type { PageContext } from "../layout.tsx";

/**
 * The end of the line under a listed letter's title (home and campaign pages): when it was published, if it
 * was, and who has endorsed it.
 */
export function publishedAndCounted(
  { t, locale }: PageContext,
  letter: { publicationDate: string | null; counts: Counts; signers: Signers },
): string {
  const published = letter.publicationDate
    ? `${t("letter.published", { date: formatDate(locale, letter.publicationDate) })} · `
    : "";
  return `${published}${countSummary(letter.counts, letter.signers, locale, t)}`;
}
