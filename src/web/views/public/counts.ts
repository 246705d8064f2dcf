import { formatNumber, type Locale, type Translate } from "../../../i18n/index.ts";
import type { Signers } from "../../../store/schema.ts";

/** "65 organisations", "3 individuals" or "68 signatories", in the page's language and digits. */
export function countNoun(t: Translate, locale: Locale, signers: Signers, count: number): string {
  const key =
    signers === "organisations"
      ? "counts.organisations"
      : signers === "individuals"
        ? "counts.individuals"
        : "counts.signatories";
  return t(key, { count: formatNumber(locale, count) });
}
