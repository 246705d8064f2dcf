import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { languageName } from "../../../domain/letter-settings.ts";
import { UPDATE_LIMITS } from "../../../domain/letter-updates.ts";
import { READABLE_LETTER_STATES } from "../../../domain/public-letters.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type { LetterUpdate } from "../../../queries/list-letter-updates.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { Check, Field, formFields, Select, TextArea } from "../components/fields.tsx";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs, tabsOf } from "./letter-tabs.tsx";

export type UpdateFormValues = { title: string; body: string; language: string; mail: boolean };

export type LetterUpdatesPageProps = {
  ctx: PageContext;
  user: SessionUser;
  letter: EditableLetter;
  updates: LetterUpdate[];
  subscribers: number;
  baseUrl: string;
  values: UpdateFormValues;
  errors?: FieldErrors | undefined;
  problem?: string | undefined;
  notice?: string | undefined;
};

/**
 * A letter's updates in the console: post one (and mail it to the signatories who asked for updates),
 * mail an earlier one that was not mailed, and the snippet that embeds the letter on another site.
 */
export function LetterUpdatesPage({
  ctx,
  user,
  letter,
  updates,
  subscribers,
  baseUrl,
  values,
  errors,
  problem,
  notice,
}: LetterUpdatesPageProps) {
  const { t, locale } = ctx;
  const field = formFields(t, values, errors);
  const title = letter.translations[0]?.title ?? letter.slug;
  const base = `/admin/letters/${letter.id}/updates`;
  const isPublic = (READABLE_LETTER_STATES as readonly string[]).includes(letter.state);
  const embedUrl = `${baseUrl}/letters/${letter.slug}/embed`;
  const snippet = `<iframe src="${embedUrl}" title="${title.replace(/[&"<>]/g, "")}" width="320" height="200" style="border:0"></iframe>`;
  const count = formatNumber(locale, subscribers);
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("updates.consoleTitle", { title })}>
      <h1>{t("updates.consoleTitle", { title })}</h1>
      <LetterTabs ctx={ctx} user={user} letter={tabsOf(letter)} current="/updates" />
      <Notice message={notice} />
      <Problem message={problem} />
      {isPublic ? null : <p class="banner">{t("updates.notPublicYet")}</p>}

      <section aria-labelledby="new-update">
        <h2 id="new-update">{t("updates.new")}</h2>
        <PostForm ctx={ctx} action={base}>
          <Field {...field("title", "updates.title")} required />
          <TextArea
            {...field("body", "updates.body")}
            hint={t("updates.bodyHint", { max: formatNumber(locale, UPDATE_LIMITS.body) })}
            rows={8}
          />
          <Select
            {...field("language", "updates.language")}
            options={letter.translations.map((tr) => ({
              value: tr.language,
              label: `${languageName(tr.language, locale)} (${tr.language})`,
            }))}
          />
          <Check name="mail" label={t("updates.mailToo", { count })} checked={values.mail} errors={errors} />
          <p class="muted">{t("updates.mailHint")}</p>
          <div>
            <button type="submit">{t("updates.post")}</button>
          </div>
        </PostForm>
      </section>

      <section aria-labelledby="posted-updates">
        <h2 id="posted-updates">{t("updates.posted")}</h2>
        {updates.length === 0 ? <p>{t("updates.none")}</p> : null}
        <ul class="updates-list">
          {updates.map((u) => (
            <li key={u.id}>
              <strong lang={u.language}>{u.title}</strong>{" "}
              <span class="muted">{formatDate(locale, u.publishedAt)}</span>
              {" · "}
              {u.mailedAt ? (
                <span>{t("updates.mailedOn", { date: formatDate(locale, u.mailedAt) })}</span>
              ) : (
                <PostForm ctx={ctx} action={`${base}/${u.id}/mail`} class="inline">
                  <button type="submit" class="secondary">
                    {t("updates.mailNow", { count })}
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
        {isPublic ? (
          <p>
            <a href={`/letters/${letter.slug}/updates.atom`}>{t("updates.feed")}</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="embed">
        <h2 id="embed">{t("embed.heading")}</h2>
        <p>{t("embed.intro")}</p>
        <TextArea name="embed" label={t("embed.snippet")} value={snippet} rows={3} readOnly />
        {isPublic ? (
          <p>
            <a href={`/letters/${letter.slug}/embed`}>{t("embed.preview")}</a>
          </p>
        ) : null}
      </section>
    </ConsoleLayout>
  );
}
