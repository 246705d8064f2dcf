import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import { BareHead, Layout, type PageContext } from "../layout.tsx";
import { LetterDocument } from "./letter-document.tsx";
import { letterUrl, PartsFallbackNotice } from "./letter-page.tsx";

/**
 * The letter as it is printed (and turned into the PDF): the letter, its count statement, endnotes and the
 * full list of signatories as an annex, without the site's navigation. It is a public page like the letter
 * itself; it is not meant to be indexed.
 */
export function PrintPage({
  ctx,
  letter,
  baseUrl,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  baseUrl: string;
}) {
  return (
    <html lang={ctx.locale} class="print-view">
      <BareHead title={letter.title}>
        <link rel="canonical" href={`${baseUrl}${letterUrl(letter, letter.language)}`} />
      </BareHead>
      <body>
        <main>
          <PartsFallbackNotice ctx={ctx} letter={letter} />
          <LetterDocument ctx={ctx} letter={letter} mode="print" baseUrl={baseUrl} />
          <p class="print-source muted">
            {ctx.t("print.source", { url: `${baseUrl}${letterUrl(letter, letter.language)}` })}
          </p>
        </main>
      </body>
    </html>
  );
}

/** 503 for a PDF when the server has no Chromium: what an administrator does about it, and a way round. */
export function PdfUnavailablePage({ ctx, printHref }: { ctx: PageContext; printHref: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("pdf.unavailableTitle")}>
      <h1>{t("pdf.unavailableTitle")}</h1>
      <p>{t("pdf.unavailable")}</p>
      <p>
        <a href={printHref}>{t("pdf.printInstead")}</a>
      </p>
    </Layout>
  );
}
