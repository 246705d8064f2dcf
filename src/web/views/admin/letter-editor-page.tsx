import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { LETTER_LANGUAGES, languageName, OPTIONAL_SIGN_FIELDS } from "../../../domain/letter-settings.ts";
import { nextTransitions } from "../../../domain/letter-states.ts";
import { READABLE_LETTER_STATES } from "../../../domain/public-letters.ts";
import { formatNumber, type MessageKey } from "../../../i18n/index.ts";
import { type CampaignAction, can } from "../../../policies/policy.ts";
import type { ConsoleCampaign } from "../../../queries/list-console-campaigns.ts";
import type { EditorValues } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { Notice, PostForm, Problem } from "./fields.tsx";
import { AddresseeGroups, Choices, Flag, Input, Select, TextArea } from "./letter-fields.tsx";

export type LetterEditorProps = {
  ctx: PageContext;
  user: SessionUser;
  letter: EditableLetter;
  campaigns: ConsoleCampaign[];
  values: EditorValues;
  errors?: FieldErrors | undefined;
  problem?: string | undefined;
  notice?: string | undefined;
  /** A freshly made private sign-on link: shown on this one page and never again. */
  privateLink?: string | undefined;
};

export const PLACEHOLDERS = "{{total}}, {{listed}}, {{undisclosed}}";

/** Navigation shared by a letter's console pages. */
/** The letter's console pages, each shown only to those whose role in the letter's campaign may open it. */
const LETTER_TABS = [
  ["", "letters.edit", "letter.edit"],
  ["/preview", "letters.preview", "campaign.view"],
  ["/versions", "letters.versions", "campaign.view"],
  ["/review", "review.tab", "signature.review"],
  ["/duplicates", "duplicates.tab", "signature.edit"],
  ["/import", "import.tab", "signature.edit"],
  ["/recipients", "recipients.tab", "recipients.manage"],
  ["/updates", "updates.tab", "letter.publish"],
] as const satisfies readonly (readonly [string, MessageKey, CampaignAction])[];

export function LetterTabs({
  ctx,
  user,
  letter,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: { id: number; slug: string; state: string; campaign: { id: number } };
}) {
  const { t } = ctx;
  const base = `/admin/letters/${letter.id}`;
  return (
    <nav class="tabs" aria-label={t("letters.details")}>
      {LETTER_TABS.filter(([, , action]) => can(user, action, letter.campaign.id)).map(([path, label]) => (
        <a href={`${base}${path}`}>{t(label)}</a>
      ))}
      {(READABLE_LETTER_STATES as readonly string[]).includes(letter.state) ? (
        <a href={`/letters/${letter.slug}`}>{`/letters/${letter.slug}`}</a>
      ) : null}
    </nav>
  );
}

export function LetterEditorPage({
  ctx,
  user,
  letter,
  campaigns,
  values,
  errors,
  problem,
  notice,
  privateLink,
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
  const lang = values.language;

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
      <LetterTabs ctx={ctx} user={user} letter={letter} />
      <Notice message={notice} />
      <Problem message={problem} />
      {privateLink ? (
        <div class="notice" role="status">
          <p>{t("letters.privateLinkShown")}</p>
          <p>
            <code class="private-link">{privateLink}</code>
          </p>
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

      <PostForm ctx={ctx} action={`/admin/letters/${letter.id}`} class="stack editor">
        {/* The first submit button is the one Enter presses: make it "save", not "remove group". */}
        <button type="submit" name="action" value="save" class="default-action">
          {t("letters.save")}
        </button>
        <input type="hidden" name="updatedAt" value={values.updatedAt} />
        <input type="hidden" name="language" value={values.language} />

        <fieldset>
          <legend>{t("letters.details")}</legend>
          <Input
            name="slug"
            label={t("letters.slug")}
            hint={t("letters.slugHint")}
            value={values.slug}
            errors={errors}
            required
          />
          <Select
            name="campaign"
            label={t("letters.campaign")}
            value={values.campaign}
            errors={errors}
            options={campaigns.map((c) => ({ value: c.slug, label: c.name }))}
          />
          <Select
            name="defaultLanguage"
            label={t("letters.defaultLanguage")}
            value={values.defaultLanguage}
            errors={errors}
            options={letter.translations.map((tr) => ({
              value: tr.language,
              label: languageLabel(tr.language),
            }))}
          />
          <Input
            name="letterDate"
            type="date"
            label={t("letters.letterDate")}
            value={values.letterDate}
            errors={errors}
          />
          <Input
            name="publicationDate"
            type="date"
            label={t("letters.publicationDate")}
            hint={t("letters.publicationDateHint")}
            value={values.publicationDate}
            errors={errors}
          />
        </fieldset>

        <fieldset lang={lang}>
          <legend lang={locale}>{t("letters.text", { language: languageLabel(lang) })}</legend>
          <Input name="title" label={t("letters.title")} value={values.title} errors={errors} required />
          <Input name="subject" label={t("letters.subject")} value={values.subject} errors={errors} />
          <AddresseeGroups ctx={ctx} groups={values.groups} errors={errors} lang={lang} />
          <Input
            name="salutation"
            label={t("letters.salutation")}
            value={values.salutation}
            errors={errors}
          />
          <TextArea
            name="body"
            label={t("letters.body")}
            hint={t("letters.bodyHint", { placeholders: PLACEHOLDERS })}
            value={values.body}
            errors={errors}
            rows={18}
          />
          <TextArea
            name="closing"
            label={t("letters.closing")}
            value={values.closing}
            errors={errors}
            rows={4}
          />
        </fieldset>

        <fieldset>
          <legend>{t("letters.signOn")}</legend>
          <Choices
            name="signers"
            type="radio"
            label={t("letters.signers")}
            selected={[values.signers]}
            errors={errors}
            options={(["organisations", "individuals", "both"] as const).map((s) => ({
              value: s,
              label: t(`letters.signers.${s}`),
            }))}
          />
          <TextArea
            name="categories"
            label={t("letters.categories")}
            hint={t("letters.categoriesHint")}
            value={values.categories}
            errors={errors}
            rows={3}
          />
          <Choices
            name="requiredFields"
            type="checkbox"
            label={t("letters.requiredFields")}
            selected={values.requiredFields}
            errors={errors}
            options={OPTIONAL_SIGN_FIELDS.map((f) => ({ value: f, label: t(`letters.signField.${f}`) }))}
          />
          <Flag
            name="moderation"
            label={t("letters.moderation")}
            checked={values.moderation}
            errors={errors}
          />
          <Flag
            name="allowUndisclosed"
            label={t("letters.allowUndisclosed")}
            checked={values.allowUndisclosed}
            errors={errors}
          />
          {letter.campaign.hasKey ? null : <p class="muted">{t("campaigns.noKey")}</p>}
          <Input
            name="deadline"
            type="datetime-local"
            label={t("letters.deadline")}
            hint={t("letters.deadlineHint")}
            value={values.deadline}
            errors={errors}
          />
          <Choices
            name="privateLink"
            type="radio"
            label={t("letters.privateLink")}
            hint={letter.hasPrivateLink ? t("letters.privateLinkSet") : t("letters.privateLinkNone")}
            selected={[values.privateLink]}
            errors={errors}
            options={(letter.hasPrivateLink
              ? (["keep", "new", "remove"] as const)
              : (["keep", "new"] as const)
            ).map((choice) => ({ value: choice, label: t(`letters.privateLink.${choice}`) }))}
          />
        </fieldset>

        <fieldset>
          <legend>{t("letters.publisher")}</legend>
          <Input
            name="publisherName"
            label={t("letters.publisherName")}
            value={values.publisherName}
            errors={errors}
          />
          <Input
            name="publisherUrl"
            type="url"
            label={t("letters.publisherUrl")}
            value={values.publisherUrl}
            errors={errors}
          />
          <TextArea
            name="publisherAbout"
            label={t("letters.publisherAbout")}
            value={values.publisherAbout}
            errors={errors}
            rows={3}
            lang={lang}
          />
          <TextArea
            name="publisherLinks"
            label={t("letters.publisherLinks")}
            value={values.publisherLinks}
            errors={errors}
            rows={3}
          />
          {letter.publisher.logoUrl ? (
            <Flag name="removeLogo" label={t("letters.removeLogo")} checked={values.removeLogo} />
          ) : null}
        </fieldset>

        <div>
          <button type="submit" name="action" value="save">
            {t("letters.save")}
          </button>
        </div>
      </PostForm>

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
