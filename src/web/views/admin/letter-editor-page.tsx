import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { LETTER_LANGUAGES, languageName } from "../../../domain/letter-settings.ts";
import { type LetterTransition, nextTransitions } from "../../../domain/letter-states.ts";
import { formatNumber } from "../../../i18n/index.ts";
import type { ConsoleCampaign } from "../../../queries/list-console-campaigns.ts";
import type { EditorValues } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { Select } from "../components/fields.tsx";
import { Notice, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterEditorForm } from "./letter-editor-form.tsx";
import { LetterTabs, tabsOf } from "./letter-tabs.tsx";

export type LetterEditorProps = {
  ctx: PageContext;
  user: SessionUser;
  letter: EditableLetter;
  campaigns: ConsoleCampaign[];
  values: EditorValues;
  errors?: FieldErrors | undefined;
  problem?: string | undefined;
  notice?: string | undefined;
  /** The state change just made (publish, close …), told with where the letter now is. */
  stateChanged?: { transition: LetterTransition; publicUrl: string } | undefined;
  /** A freshly made private sign-on link: shown on this one page and never again. */
  privateLink?: string | undefined;
  /** Its QR code as a data: URL (the link never travels in another request). */
  privateLinkQr?: string | undefined;
};

export function LetterEditorPage({
  ctx,
  user,
  letter,
  campaigns,
  values,
  errors,
  problem,
  notice,
  stateChanged,
  privateLink,
  privateLinkQr,
}: LetterEditorProps) {
  const { t, locale } = ctx;
  const title = letter.translations[0]?.title ?? letter.slug;
  const languageLabel = (code: string) => `${languageName(code, locale)} (${code})`;
  const otherLanguages = letter.translations
    .map((tr) => tr.language)
    .filter((l) => l !== letter.defaultLanguage);
  const pickable = [
    ...new Set([...LETTER_LANGUAGES, ...letter.translations.map((tr) => tr.language)]),
  ].filter((l) => l !== letter.defaultLanguage);

  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("letters.editTitle", { title })}>
      <p class="muted">
        <a href={`/admin/campaigns/${letter.campaign.slug}`}>{letter.campaign.name}</a>
      </p>
      <h1>{t("letters.editTitle", { title })}</h1>
      <p>
        {t("letters.state")}:{" "}
        <strong class={`state state-${letter.state}`}>{t(`letters.state.${letter.state}`)}</strong>
        {" · "}
        {t("letters.version", { number: formatNumber(locale, letter.version.number) })}
      </p>
      <LetterTabs ctx={ctx} user={user} letter={tabsOf(letter)} current="" />
      <Notice message={notice} />
      {stateChanged ? <StateChanged ctx={ctx} letterId={letter.id} {...stateChanged} /> : null}
      <Problem message={problem} />
      {privateLink ? (
        <div class="notice" role="status">
          <p>{t("letters.privateLinkShown")}</p>
          <p>
            <code class="private-link">{privateLink}</code>
          </p>
          {privateLinkQr ? (
            <img
              src={privateLinkQr}
              alt={t("share.qrAlt", { label: t("letters.privateLink") })}
              width={180}
              height={180}
            />
          ) : null}
        </div>
      ) : null}
      {letter.version.signatures > 0 ? (
        <p class="banner">
          {t("letters.versionSigned", {
            number: formatNumber(locale, letter.version.number),
            count: formatNumber(locale, letter.version.signatures),
            next: formatNumber(locale, letter.version.number + 1),
          })}
        </p>
      ) : null}

      {nextTransitions(letter.state).length > 0 ? (
        <p class="state-actions">
          {nextTransitions(letter.state).map((transition) => (
            <a key={transition} class="button" href={`/admin/letters/${letter.id}/state/${transition}`}>
              {t(`letters.transition.${transition}`)}
            </a>
          ))}
        </p>
      ) : null}

      <LetterEditorForm
        ctx={ctx}
        letter={letter}
        campaigns={campaigns}
        values={values}
        errors={errors}
        languageLabel={languageLabel}
      />

      <section aria-labelledby="logo">
        <h2 id="logo">{t("letters.logo")}</h2>
        {letter.publisher.logoUrl ? <img class="logo-preview" src={letter.publisher.logoUrl} alt="" /> : null}
        <form
          method="post"
          action={`/admin/letters/${letter.id}/logo`}
          enctype="multipart/form-data"
          class="stack"
          novalidate
        >
          <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ""} />
          <div class="field">
            <label for="field-logo">{t("letters.logo")}</label>
            <span id="field-logo-hint" class="muted">
              {t("letters.logoHint")}
            </span>
            {errors?.logo ? (
              <span id="field-logo-error" class="field-error">
                {errors.logo}
              </span>
            ) : null}
            <input
              id="field-logo"
              type="file"
              name="logo"
              accept="image/png,image/jpeg,image/webp"
              aria-describedby={errors?.logo ? "field-logo-hint field-logo-error" : "field-logo-hint"}
            />
          </div>
          <div>
            <button type="submit" class="secondary">
              {t("letters.logoUpload")}
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="translations">
        <h2 id="translations">{t("letters.translations")}</h2>
        {otherLanguages.length > 0 ? (
          <ul>
            {otherLanguages.map((l) => (
              <li key={l}>
                <a href={`/admin/letters/${letter.id}/translations/${l}`}>{languageLabel(l)}</a>
              </li>
            ))}
          </ul>
        ) : null}
        {/* A GET form: choosing a language only navigates, so it needs no token and works without script. */}
        <form method="get" action={`/admin/letters/${letter.id}/translation`} class="inline">
          <Select
            name="language"
            label={t("letters.editTranslation")}
            value={pickable[0] ?? ""}
            options={pickable.map((l) => ({ value: l, label: languageLabel(l) }))}
          />
          <button type="submit" class="secondary">
            {t("letters.open")}
          </button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

/**
 * What a state change did and where the letter is now: its public address once readers can see it, the
 * Share tab (sign and private addresses, QR codes) while it is still collecting.
 */
function StateChanged({
  ctx,
  letterId,
  transition,
  publicUrl,
}: {
  ctx: PageContext;
  letterId: number;
  transition: LetterTransition;
  publicUrl: string;
}) {
  const { t } = ctx;
  return (
    <div class="notice" role="status">
      <p>{t(`letters.changed.${transition}`)}</p>
      <p>
        {transition === "open" ? null : (
          <>
            <a href={publicUrl}>{publicUrl}</a>
            {" · "}
          </>
        )}
        <a href={`/admin/letters/${letterId}/share`}>{t("letters.changedShare")}</a>
      </p>
    </div>
  );
}
