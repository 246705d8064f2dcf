import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { languageName } from "../../../domain/letter-settings.ts";
import { type TextValues, textValuesOf } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { Notice, PostForm, Problem } from "./fields.tsx";
import { LetterTabs, PLACEHOLDERS } from "./letter-editor-page.tsx";
import { AddresseeGroups, Input, TextArea } from "./letter-fields.tsx";

export type TranslationPageProps = {
  ctx: PageContext;
  user: SessionUser;
  letter: EditableLetter;
  language: string;
  values: TextValues;
  /** The letter's updated_at when this form was first opened, sent back to detect a co-drafter's save. */
  updatedAt: string;
  exists: boolean;
  errors?: FieldErrors | undefined;
  problem?: string | undefined;
  notice?: string | undefined;
};

/**
 * One translation edited beside the default language: the original on the left, read-only, and the
 * translation's fields on the right in the same order, so a translator works paragraph by paragraph.
 */
export function TranslationPage(props: TranslationPageProps) {
  const { ctx, user, letter, language, values, errors, problem, notice } = props;
  const { t, locale } = ctx;
  const original = textValuesOf(letter.translations.find((tr) => tr.language === letter.defaultLanguage));
  const languageLabel = (code: string) => `${languageName(code, locale)} (${code})`;
  const title = t("letters.translationTitle", { language: languageLabel(language) });
  const source = letter.defaultLanguage;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={title}>
      <p class="muted">
        <a href={`/admin/letters/${letter.id}`}>{original.title}</a>
      </p>
      <h1>{title}</h1>
      <LetterTabs ctx={ctx} user={user} letter={letter} />
      <Notice message={notice} />
      <Problem message={problem} />
      <div class="side-by-side">
        <section class="original" lang={source} aria-labelledby="original">
          <h2 id="original" lang={locale}>
            {t("letters.original", { language: languageLabel(source) })}
          </h2>
          <OriginalText
            lang={source}
            name="title"
            label={t("letters.title")}
            value={original.title}
            rows={2}
          />
          <OriginalText
            lang={source}
            name="subject"
            label={t("letters.subject")}
            value={original.subject}
            rows={2}
          />
          {original.groups.map((g, i) => (
            <OriginalText
              lang={source}
              key={i}
              name={`group_${i}`}
              label={t("letters.group", { number: i + 1 })}
              value={`${g.heading}\n${g.names}`}
              rows={4}
            />
          ))}
          <OriginalText
            lang={source}
            name="salutation"
            label={t("letters.salutation")}
            value={original.salutation}
            rows={1}
          />
          <OriginalText lang={source} name="body" label={t("letters.body")} value={original.body} rows={18} />
          <OriginalText
            lang={source}
            name="closing"
            label={t("letters.closing")}
            value={original.closing}
            rows={4}
          />
          <OriginalText
            lang={source}
            name="publisherAbout"
            label={t("letters.publisherAbout")}
            value={original.publisherAbout}
            rows={3}
          />
        </section>
        <section class="translation" aria-labelledby="translation">
          <h2 id="translation">{languageLabel(language)}</h2>
          <PostForm ctx={ctx} action={`/admin/letters/${letter.id}/translations/${language}`} class="stack">
            <button type="submit" name="action" value="save" class="default-action">
              {t("letters.save")}
            </button>
            <input type="hidden" name="updatedAt" value={props.updatedAt} />
            <div lang={language}>
              <Input
                name="title"
                label={t("letters.title")}
                value={values.title}
                errors={errors}
                required
                lang={language}
              />
              <Input
                name="subject"
                label={t("letters.subject")}
                value={values.subject}
                errors={errors}
                lang={language}
              />
              <AddresseeGroups ctx={ctx} groups={values.groups} errors={errors} lang={language} />
              <Input
                name="salutation"
                label={t("letters.salutation")}
                value={values.salutation}
                errors={errors}
                lang={language}
              />
              <TextArea
                name="body"
                label={t("letters.body")}
                hint={t("letters.bodyHint", { placeholders: PLACEHOLDERS })}
                value={values.body}
                errors={errors}
                rows={18}
                lang={language}
              />
              <TextArea
                name="closing"
                label={t("letters.closing")}
                value={values.closing}
                errors={errors}
                rows={4}
                lang={language}
              />
              <TextArea
                name="publisherAbout"
                label={t("letters.publisherAbout")}
                value={values.publisherAbout}
                errors={errors}
                rows={3}
                lang={language}
              />
            </div>
            <div>
              <button type="submit" name="action" value="save">
                {t("letters.save")}
              </button>
            </div>
          </PostForm>
          {props.exists ? (
            <PostForm ctx={ctx} action={`/admin/letters/${letter.id}/translations/${language}/remove`}>
              <input type="hidden" name="updatedAt" value={props.updatedAt} />
              <div>
                <button type="submit" class="secondary">
                  {t("letters.removeTranslation")}
                </button>
              </div>
            </PostForm>
          ) : null}
        </section>
      </div>
    </ConsoleLayout>
  );
}

/** One part of the default-language text, read-only, for reading beside its translation. */
function OriginalText(field: { name: string; label: string; value: string; rows: number; lang: string }) {
  return <TextArea {...field} readOnly />;
}
