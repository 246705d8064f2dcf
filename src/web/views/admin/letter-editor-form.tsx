import { RELEASE_RHYTHMS } from "../../../domain/count-release.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { OPTIONAL_SIGN_FIELDS } from "../../../domain/letter-settings.ts";
import type { ConsoleCampaign } from "../../../queries/list-console-campaigns.ts";
import type { EditorValues } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { Check, Choices, Field, formFields, Select, TextArea } from "../components/fields.tsx";
import { PostForm } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { AddresseeGroups, SaveLetterButton, TextPartField } from "./letter-fields.tsx";

/*
 * The letter editor's one form, a fieldset per subject: the letter's details, its text in the language being
 * edited, how it takes endorsements, and its publisher. The page around it is letter-editor-page.tsx.
 */

type FormProps = {
  ctx: PageContext;
  letter: EditableLetter;
  values: EditorValues;
  errors?: FieldErrors | undefined;
};

export function LetterEditorForm({
  campaigns,
  languageLabel,
  ...props
}: FormProps & { campaigns: ConsoleCampaign[]; languageLabel: (code: string) => string }) {
  const { ctx, letter, values } = props;
  const { t, locale } = ctx;
  const lang = values.language;
  return (
    <PostForm ctx={ctx} action={`/admin/letters/${letter.id}`} class="stack editor">
      <SaveLetterButton ctx={ctx} defaultAction />
      <input type="hidden" name="updatedAt" value={values.updatedAt} />
      <input type="hidden" name="language" value={values.language} />
      <DetailsFields {...props} campaigns={campaigns} languageLabel={languageLabel} />
      <fieldset lang={lang}>
        <legend lang={locale}>{t("letters.text", { language: languageLabel(lang) })}</legend>
        <TextPartField ctx={ctx} part="title" value={values.title} errors={props.errors} />
        <TextPartField ctx={ctx} part="subject" value={values.subject} errors={props.errors} />
        <AddresseeGroups ctx={ctx} groups={values.groups} errors={props.errors} lang={lang} />
        {(["salutation", "body", "closing", "countStatement"] as const).map((part) => (
          <TextPartField key={part} ctx={ctx} part={part} value={values[part]} errors={props.errors} />
        ))}
      </fieldset>
      <SignOnFields {...props} />
      <PublisherFields {...props} />
      <div>
        <SaveLetterButton ctx={ctx} />
      </div>
    </PostForm>
  );
}

function DetailsFields({
  ctx,
  letter,
  values,
  errors,
  campaigns,
  languageLabel,
}: FormProps & { campaigns: ConsoleCampaign[]; languageLabel: (code: string) => string }) {
  const { t } = ctx;
  const field = formFields(t, values, errors);
  return (
    <fieldset>
      <legend>{t("letters.details")}</legend>
      <Field {...field("slug", "letters.slug")} hint={t("letters.slugHint")} required />
      <Select
        {...field("campaign", "letters.campaign")}
        options={campaigns.map((c) => ({ value: c.slug, label: c.name }))}
      />
      <Select
        {...field("defaultLanguage", "letters.defaultLanguage")}
        options={letter.translations.map((tr) => ({ value: tr.language, label: languageLabel(tr.language) }))}
      />
      <Field {...field("letterDate", "letters.letterDate")} type="date" />
      <Field
        {...field("publicationDate", "letters.publicationDate")}
        type="date"
        hint={t("letters.publicationDateHint")}
      />
    </fieldset>
  );
}

function SignOnFields({ ctx, letter, values, errors }: FormProps) {
  const { t } = ctx;
  const field = formFields(t, values, errors);
  return (
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
      <TextArea {...field("categories", "letters.categories")} hint={t("letters.categoriesHint")} rows={3} />
      <Choices
        name="requiredFields"
        type="checkbox"
        label={t("letters.requiredFields")}
        selected={values.requiredFields}
        errors={errors}
        options={OPTIONAL_SIGN_FIELDS.map((f) => ({ value: f, label: t(`letters.signField.${f}`) }))}
      />
      <Check name="moderation" label={t("letters.moderation")} checked={values.moderation} errors={errors} />
      <Check
        name="allowUndisclosed"
        label={t("letters.allowUndisclosed")}
        checked={values.allowUndisclosed}
        errors={errors}
      />
      {letter.campaign.hasKey ? null : <p class="muted">{t("campaigns.noKey")}</p>}
      <Select
        {...field("releaseEveryHours", "letters.releaseEveryHours")}
        hint={t("letters.releaseEveryHoursHint")}
        options={RELEASE_RHYTHMS.map((hours) => ({
          value: String(hours),
          label:
            hours === 24
              ? t("sign.releaseDaily")
              : hours === 1
                ? t("sign.releaseHourly")
                : t("sign.releaseEvery", { hours }),
        }))}
      />
      <Field
        {...field("deadline", "letters.deadline")}
        type="datetime-local"
        hint={t("letters.deadlineHint")}
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
  );
}

function PublisherFields({ ctx, letter, values, errors }: FormProps) {
  const { t } = ctx;
  const field = formFields(t, values, errors);
  return (
    <fieldset>
      <legend>{t("letters.publisher")}</legend>
      <Field {...field("publisherName", "letters.publisherName")} />
      <Field {...field("publisherUrl", "letters.publisherUrl")} type="url" />
      <TextPartField
        ctx={ctx}
        part="publisherAbout"
        value={values.publisherAbout}
        errors={errors}
        lang={values.language}
      />
      <TextArea {...field("publisherLinks", "letters.publisherLinks")} rows={3} />
      {letter.publisher.logoUrl ? (
        <Check name="removeLogo" label={t("letters.removeLogo")} checked={values.removeLogo} />
      ) : null}
    </fieldset>
  );
}
