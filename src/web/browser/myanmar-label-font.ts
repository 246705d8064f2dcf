import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import subsetFont from "subset-font";

/*
 * Every page's language switcher names Burmese in Burmese. On a page in another language that one word was
 * the only Myanmar text, and it made the browser fetch the whole 47 KB Myanmar font. Instead the switcher
 * draws it with this subset of the same font holding only the word's glyphs (about 1.5 KB), named in
 * site.css for the switcher alone. Generated, like the scripts, by `npm run build:browser` and committed;
 * a test checks the committed file is what the font subsets to today.
 */

export const BURMESE_IN_BURMESE = "မြန်မာ";

export const MYANMAR_LABEL_FONT = fileURLToPath(
  new URL("../assets/fonts/myanmar-label.woff2", import.meta.url),
);

const FULL_FONT = fileURLToPath(
  import.meta.resolve("@fontsource/noto-sans-myanmar/files/noto-sans-myanmar-myanmar-400-normal.woff2"),
);

export function subsetMyanmarLabelFont(): Promise<Buffer> {
  return subsetFont(readFileSync(FULL_FONT), BURMESE_IN_BURMESE, { targetFormat: "woff2" });
}
