import { countSummary } from "../../../domain/count-statement.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import { BareHead, type PageContext } from "../layout.tsx";

/**
 * `/letters/:slug/embed`: a letter in a few lines for another site's iframe — its title, its live count and
 * a button to endorse it. No script, no form: every link opens our own page in a new tab, where signing
 * happens on our origin (never inside someone else's frame).
 */
export function EmbedPage({
  ctx,
  letter,
  signable,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  signable: boolean;
}) {
  const { t, locale } = ctx;
  const lang = `?lang=${locale}`;
  return (
    <html lang={locale}>
      <BareHead title={letter.title} />
      <body class="embed">
        <main>
          <p class="embed-title" lang={letter.language}>
            <a href={`/letters/${letter.slug}${lang}`} target="_blank" rel="noopener">
              {letter.title}
            </a>
          </p>
          <p class="embed-count">{countSummary(letter.counts, letter.signers, locale, t)}</p>
          {signable ? (
            <p>
              <a class="button" href={`/letters/${letter.slug}/sign${lang}`} target="_blank" rel="noopener">
                {t("letter.sign")}
              </a>
            </p>
          ) : null}
          <p class="muted embed-brand">{t("app.name")}</p>
        </main>
      </body>
    </html>
  );
}
