import { shownCountStatement } from "../../../domain/count-statement.ts";
import { shownCategory } from "../../../domain/label-translations.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type { PublicLetter, SignatoryGroup } from "../../../queries/get-public-letter.ts";
import type { PageContext } from "../layout.tsx";
import { interpolate, langOf, Marked } from "../text-lang.tsx";
import { LetterNotes, LetterParts, letterText } from "./letter-text.tsx";
import { PublisherBlock } from "./publisher-block.tsx";
import { SignatoryName } from "./signatory-name.tsx";

/*
 * The letter itself (addressees, date, subject, salutation, body, closing, count statement, signatories,
 * endnotes, publisher), shared by the public page, the print view that becomes the PDF, and the console's
 * preview, so all three are the same rendering. The letter's own parts are in the letter's language (with
 * its labels and number format); the page furniture and the count statement are in the reader's.
 */

export type LetterDocumentMode =
  /** The web page: a bounded excerpt of the list, with a link to the full list and the PDF. */
  | "page"
  /** The print view: every listed signatory as an annex, no navigation. */
  | "print";

export function LetterDocument({
  ctx,
  letter,
  mode,
  signOpen = false,
  baseUrl,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  mode: LetterDocumentMode;
  /** Print mode: a PDF has no page to link from, so it prints the verify page's full address. */
  baseUrl?: string;
  /** Page mode only: sign-on is open, so the letter says where to endorse it, at its top and after its count. */
  signOpen?: boolean;
}) {
  const { t, locale } = ctx;
  const shown = letterText(letter, locale);
  const lang = letter.partLanguage;
  const listedShown = letter.signatories.reduce((n, group) => n + group.signatories.length, 0);
  const listHref = `/letters/${letter.slug}/signatories`;
  const verifyHref = `/letters/${letter.slug}/verify`;
  const statement = shownCountStatement(letter, locale, t);
  const signHref = mode === "page" && signOpen ? `/letters/${letter.slug}/sign?lang=${locale}` : undefined;
  const campaignName = interpolate(t, "letter.campaign", {
    name: <Marked text={letter.campaign.name} within={locale} />,
  });

  return (
    <article class="letter" lang={letter.language}>
      <h1 lang={lang.title}>{letter.title}</h1>
      <p class="muted letter-meta" lang={locale}>
        {letter.publicationDate ? (
          <span>{t("letter.published", { date: formatDate(locale, letter.publicationDate) })}</span>
        ) : null}
        {letter.version.number > 1 ? (
          <span>{t("letter.lastAmended", { date: formatDate(locale, letter.version.createdAt) })}</span>
        ) : null}
        <span>
          {mode === "page" ? <a href={`/campaigns/${letter.campaign.slug}`}>{campaignName}</a> : campaignName}
        </span>
        {mode === "page" ? (
          <span class="no-print">
            {/* `download`, as the label promises: without it browsers with a PDF viewer open the file instead,
                and a reader on a slow connection who wanted to keep it fetches it twice. */}
            <a href={`/letters/${letter.slug}.pdf?lang=${locale}`} type="application/pdf" download>
              {t("letter.downloadPdf")}
            </a>
          </span>
        ) : null}
        {signHref ? (
          <span class="no-print">
            <a href={signHref}>{t("letter.sign")}</a>
          </span>
        ) : null}
      </p>

      <LetterParts letter={letter} shown={shown} />

      <p class="count-statement" lang={statement.language}>
        {statement.text}
      </p>
      {letter.log ? (
        // After the count sentence, never inside it: the coalition words the sentence, the log backs it.
        <p class="log-proof muted" lang={locale}>
          {t("letter.logProof", { size: formatNumber(locale, letter.log.size) })}{" "}
          {mode === "page" || !baseUrl ? (
            <a href={verifyHref}>{t("letter.checkCount")}</a>
          ) : (
            t("letter.checkCountAt", { url: `${baseUrl}${verifyHref}` })
          )}
        </p>
      ) : null}
      {signHref ? (
        <p class="endorse-call no-print" lang={locale}>
          <a class="button" href={signHref}>
            {t("letter.sign")}
          </a>{" "}
          {letter.deadline ? (
            <span class="muted">{t("letter.signUntil", { date: formatDate(locale, letter.deadline) })}</span>
          ) : null}
        </p>
      ) : null}
      {letter.keyFingerprint ? (
        <p class="key-fingerprint muted" lang={locale}>
          {t("key.fingerprintNotice", { fingerprint: letter.keyFingerprint })}
        </p>
      ) : null}
      {mode === "page" && letter.counts.listed > 0 ? (
        <p class="full-list no-print" lang={locale}>
          <a href={listHref}>{t("letter.fullList")}</a>
        </p>
      ) : null}

      <LetterNotes letter={letter} shown={shown} id="notes" level="h2" />

      {/* On paper the publisher comes before the annex, which may run to many pages. */}
      {mode === "print" ? <PublisherBlock ctx={ctx} letter={letter} lt={shown.lt} /> : null}
      <section
        class={`signatories${mode === "print" ? " annex" : ""}`}
        lang={locale}
        aria-labelledby="signatories"
      >
        <h2 id="signatories">{mode === "print" ? t("print.annex") : t("letter.signatories")}</h2>
        {letter.signatories.length === 0 ? <p>{t("letter.noSignatories")}</p> : null}
        {letter.signatories.map((group) => (
          <SignatoryGroupList
            key={group.category ?? ""}
            ctx={ctx}
            group={group}
            label={group.category === null ? null : shownCategory(letter, group.category)}
            links={mode === "page"}
          />
        ))}
        {mode === "page" && listedShown < letter.counts.listed ? (
          <p class="no-print">
            {t("letter.shownOf", {
              shown: formatNumber(locale, listedShown),
              listed: formatNumber(locale, letter.counts.listed),
            })}{" "}
            <a href={listHref}>{t("letter.fullList")}</a>
          </p>
        ) : null}
      </section>

      {mode === "print" ? null : <PublisherBlock ctx={ctx} letter={letter} lt={shown.lt} />}
    </article>
  );
}

function SignatoryGroupList({
  ctx,
  group,
  label,
  links,
}: {
  ctx: PageContext;
  group: SignatoryGroup;
  /** The group's category in the reader's language, null for the group without one. */
  label: string | null;
  links: boolean;
}) {
  return (
    <div class="signatory-group">
      <h3 lang={langOf(label, ctx.locale)}>{label ?? ctx.t("letter.otherSignatories")}</h3>
      <ul>
        {group.signatories.map((s, i) => (
          <li key={i}>
            <SignatoryName signatory={s} link={links} locale={ctx.locale} />
          </li>
        ))}
      </ul>
    </div>
  );
}
