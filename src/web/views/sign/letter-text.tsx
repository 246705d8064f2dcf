import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import type { PageContext } from "../layout.tsx";
import { LetterNotes, LetterParts, letterText } from "../public/letter-text.tsx";

/**
 * The text a signer endorses, on the sign form: addressees, date, subject, salutation, body, closing and
 * endnotes of the version the receipt will name. Rendered by the same Markdown renderer as the public page,
 * so what is read here is what is published; the count, the signatories and the publisher stay on the page.
 */
export function SignLetterText({ ctx, letter }: { ctx: PageContext; letter: PublicLetter }) {
  const { t, locale } = ctx;
  const shown = letterText(letter, locale);
  return (
    <section class="letter sign-letter-text" lang={letter.language} aria-labelledby="letter-text">
      <h2 id="letter-text" lang={locale}>
        {t("sign.letterText")}
      </h2>
      <p class="muted" lang={locale}>
        <a href="#sign-form">{t("sign.skipToForm")}</a>
      </p>
      <LetterParts letter={letter} shown={shown} />
      <LetterNotes letter={letter} shown={shown} id="letter-notes" level="h3" />
    </section>
  );
}
