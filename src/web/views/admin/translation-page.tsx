import type { ComponentChildren } from "preact";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { languageName } from "../../../domain/letter-settings.ts";
import type { LabelValues } from "../../forms/label-form.ts";
import { type TextValues, textValuesOf } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { TextArea } from "../components/fields.tsx";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { AddresseeGroups, SaveLetterButton, type TextPart, TextPartField } from "./letter-fields.tsx";
import { LetterTabs, tabsOf } from "./letter-tabs.tsx";

export type TranslationPageProps = {
  ctx: PageContext;
  user: SessionUser;
  letter: EditableLetter;
  language: string;
  values: TextValues & LabelValues;
  /** The letter's updated_at when this form was first opened, sent back to detect a co-drafter's save. */
  updatedAt: string;
  exists: boolean;
  errors?: FieldErrors | undefined;
  problem?: string | undefined;
  notice?: string | undefined;
};

/**
 * One translation edited beside the default language: each part of the original on the left, read-only,
 * and the same part translated on its right, row by row, so a translator works paragraph by paragraph and
 * the two columns stay level whatever hints or errors a field shows.
 */
export function TranslationPage(props: TranslationPageProps) {
  const { ctx, user, letter, language, values, errors, problem, notice } = props;
  const { t, locale } = ctx;
  const original = textValuesOf(
    letter.translations.find((tr) => tr.language === letter.defaultLanguage),
    letter.countStatements[letter.defaultLanguage],
  );
  const languageLabel = (code: string) => `${languageName(code, locale)} (${code})`;
  const title = t("letters.translationTitle", { language: languageLabel(language) });
  const source = letter.defaultLanguage;
  const row = { ctx, source, language, original, values, errors };
  return (
    <ConsoleLayout ctx={ctx} user={user} title={title}>
      <p class="muted">
        <a href={`/admin/letters/${letter.id}`}>{original.title}</a>
      </p>
      <h1>{title}</h1>
      <LetterTabs ctx={ctx} user={user} letter={tabsOf(letter)} current="" />
      <Notice message={notice} />
      <Problem message={problem} />
      {/* One row per part: the original (read-only, unnamed, so never posted) beside its translation. */}
      <PostForm
        ctx={ctx}
        action={`/admin/letters/${letter.id}/translations/${language}`}
        class="stack side-by-side"
      >
        <SaveLetterButton ctx={ctx} defaultAction />
        <input type="hidden" name="updatedAt" value={props.updatedAt} />
        <div class="pair headings">
          <h2 id="original">{t("letters.original", { language: languageLabel(source) })}</h2>
          <h2 id="translation">{languageLabel(language)}</h2>
        </div>
        <TranslationRow {...row} part="title" />
        <TranslationRow {...row} part="subject" />
        <Pair source={source} language={language}>
          <div>
            {original.groups.map((g, i) => (
              <TextArea
                lang={source}
                key={i}
                name={`group_${i}`}
                label={t("letters.group", { number: i + 1 })}
                value={`${g.heading}\n${g.names}`}
                rows={4}
                readOnly
              />
            ))}
          </div>
          <AddresseeGroups ctx={ctx} groups={values.groups} errors={errors} lang={language} />
        </Pair>
        {(["salutation", "body", "closing", "countStatement", "publisherAbout"] as const).map((part) => (
          <TranslationRow key={part} {...row} part={part} />
        ))}
        <LabelRow
          {...row}
          name="categoryLabels"
          originalLabel={t("letters.categories")}
          label={t("letters.categoryLabels")}
          originals={letter.categories}
        />
        <LabelRow
          {...row}
          name="linkLabels"
          originalLabel={t("letters.publisherLinks")}
          label={t("letters.linkLabels")}
          originals={letter.publisher.links.map((l) => l.label)}
        />
        <div>
          <SaveLetterButton ctx={ctx} />
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
    </ConsoleLayout>
  );
}

/** One row of the page: a part of the original (first child) beside the same part translated (second). */
function Pair({
  source,
  language,
  children,
}: {
  source: string;
  language: string;
  children: [ComponentChildren, ComponentChildren];
}) {
  return (
    <div class="pair">
      <div class="original" lang={source}>
        {children[0]}
      </div>
      <div class="translation" lang={language}>
        {children[1]}
      </div>
    </div>
  );
}

/** One part of the text: the original, read-only and never posted, beside its translation. */
function TranslationRow({
  ctx,
  part,
  source,
  language,
  original,
  values,
  errors,
}: {
  ctx: PageContext;
  part: TextPart;
  source: string;
  language: string;
  original: TextValues;
  values: TextValues;
  errors?: FieldErrors | undefined;
}) {
  return (
    <Pair source={source} language={language}>
      <TextPartField ctx={ctx} part={part} value={original[part]} lang={source} readOnly />
      <TextPartField ctx={ctx} part={part} value={values[part]} errors={errors} lang={language} />
    </Pair>
  );
}

/** Labels (categories, link labels) one per line, beside the originals in their order; none when there are none. */
function LabelRow({
  ctx,
  name,
  source,
  language,
  originalLabel,
  label,
  originals,
  values,
  errors,
}: {
  ctx: PageContext;
  name: keyof LabelValues;
  source: string;
  language: string;
  originalLabel: string;
  label: string;
  originals: string[];
  values: LabelValues;
  errors?: FieldErrors | undefined;
}) {
  if (originals.length === 0) return null;
  return (
    <Pair source={source} language={language}>
      <TextArea
        name={name}
        label={originalLabel}
        value={originals.join("\n")}
        rows={originals.length}
        lang={source}
        readOnly
      />
      <TextArea
        name={name}
        label={label}
        hint={ctx.t("letters.labelsHint")}
        value={values[name]}
        errors={errors}
        rows={originals.length}
        lang={language}
      />
    </Pair>
  );
}
