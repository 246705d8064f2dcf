import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LetterPdfSource } from "../commands/deliver-letter.ts";
import { groupByCategory } from "../domain/signatory-order.ts";
import { isLocale, type Locale, translator } from "../i18n/index.ts";
import type { PrintResources } from "../pdf/chromium.ts";
import type { LetterPdf, LetterPdfs } from "../pdf/letter-pdf.ts";
import { getPublicLetter, type PublicLetter } from "../queries/get-public-letter.ts";
import { currentSignatoryIndex, type SignatoryIndex } from "../queries/signatory-index.ts";
import type { Store } from "../store/db.ts";
import { assetAt } from "./http/static-assets.ts";
import { renderDocument } from "./render.ts";
import { PrintPage } from "./views/public/print-page.tsx";

/*
 * The print view of a letter and its PDF, shared by the public routes (/letters/:slug/print and
 * /letters/:slug.pdf) and by delivery, which attaches the very PDF readers download. The HTML is rendered
 * here and handed to Chromium with the files it refers to; nothing goes through HTTP.
 */

const UPLOAD_FILE = /^[0-9a-f]{64}\.(png|jpg|webp)$/;
const UPLOAD_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", webp: "image/webp" };

/**
 * The files a print view may refer to, as the app serves them: the site's assets (stylesheet, fonts, icon)
 * and publisher logos (DATA_DIR/uploads, content-addressed). Any other path is answered "not found".
 */
export function printResources(dataDir: string): PrintResources {
  const uploads = path.join(dataDir, "uploads");
  return async (pathname) => {
    const asset = assetAt(pathname);
    if (asset) return asset;
    const name = pathname.startsWith("/uploads/") ? pathname.slice("/uploads/".length) : "";
    if (!UPLOAD_FILE.test(name)) return undefined;
    const body = await readFile(path.join(uploads, name)).catch(() => undefined);
    const type = UPLOAD_TYPES[name.slice(name.lastIndexOf(".") + 1)];
    return body && type ? { body, contentType: type } : undefined;
  };
}

export const printPath = (slug: string, locale: Locale) => `/letters/${slug}/print?lang=${locale}`;

/** The print view's HTML: the letter with its full list of signatories as an annex, as anyone reads it. */
export function printViewHtml(letter: PublicLetter, index: SignatoryIndex, locale: Locale, baseUrl: string) {
  const annex = groupByCategory(index.ordered(locale, letter.categories));
  return renderDocument(
    PrintPage({
      ctx: { locale, t: translator(locale), path: `/letters/${letter.slug}/print`, user: undefined },
      letter: { ...letter, signatories: annex },
      baseUrl,
    }),
  );
}

/** The letter's PDF in one language: from the disk cache, or printed from its print view. */
export function letterPdfOf(
  pdfs: LetterPdfs,
  baseUrl: string,
  { letter, index, locale }: { letter: PublicLetter; index: SignatoryIndex; locale: Locale },
): Promise<LetterPdf> {
  return pdfs.pdf({
    letterId: letter.id,
    locale,
    version: [locale, baseUrl, letter, index.fingerprint],
    page: async () => ({
      html: printViewHtml(letter, index, locale, baseUrl),
      url: `${new URL(baseUrl).origin}${printPath(letter.slug, locale)}`,
    }),
  });
}

/** What delivery attaches: the PDF readers download, in the letter's language when the site speaks it. */
export function deliveryPdfSource(store: Store, pdfs: LetterPdfs, baseUrl: string): LetterPdfSource {
  return {
    get available() {
      return pdfs.available;
    },
    async render({ slug, language }) {
      const locale: Locale = isLocale(language) ? language : "en";
      const letter = await getPublicLetter(store.db, { slug, language: locale, withSignatories: false });
      if (!letter) throw new Error(`the letter ${slug} is not public; cannot print it`);
      const index = await currentSignatoryIndex(store.db, letter.id, undefined);
      return (await letterPdfOf(pdfs, baseUrl, { letter, index, locale })).bytes;
    },
  };
}
