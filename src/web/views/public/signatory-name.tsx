import { isSafeHref } from "../../../domain/safe-url.ts";
import type { Locale } from "../../../i18n/index.ts";
import type { PublicSignatory } from "../../../queries/get-public-letter.ts";
import { langOf, Marked } from "../text-lang.tsx";

/**
 * A listed signatory: the name (linked to its website when the address is safe), alternative name, country,
 * each marked with its language where its script differs from the page's (a Burmese name on an English page).
 */
export function SignatoryName({
  signatory: s,
  link,
  locale,
}: {
  signatory: PublicSignatory;
  link: boolean;
  locale: Locale;
}) {
  const lang = langOf(s.name, locale);
  return (
    <>
      {link && s.website && isSafeHref(s.website) ? (
        <a href={s.website} rel="nofollow noopener ugc" lang={lang}>
          {s.name}
        </a>
      ) : (
        <Marked text={s.name} within={locale} />
      )}
      {s.nameAlt ? (
        <span class="muted">
          {" ("}
          <Marked text={s.nameAlt} within={locale} />
          {")"}
        </span>
      ) : null}
      {s.country ? <span class="muted" lang={langOf(s.country, locale)}>{` · ${s.country}`}</span> : null}
    </>
  );
}
