import { formatNumber, plural } from "../../../i18n/index.ts";
import type { ConsoleStance } from "../../../queries/list-letter-recipients.ts";
import type { SessionUser } from "../../session.ts";
import { Field } from "../components/fields.tsx";
import { type FormState, Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/*
 * A campaign's stances ("declined to attend", "acknowledged receipt"): a label with its English and Burmese
 * forms, which the public tracker shows in the reader's language. One form per stance (renaming it), one to
 * add, and a confirmation page of its own before a stance is removed.
 */

export type StanceValues = { label: string; en: string; my: string };

export function StancesPage({
  ctx,
  user,
  campaign,
  stances,
  notice,
  form,
}: {
  ctx: PageContext;
  user: SessionUser;
  campaign: { slug: string; name: string };
  stances: ConsoleStance[];
  notice?: string | undefined;
  /** The form that was refused: the new one (id undefined) or an existing stance's. */
  form?: (FormState<StanceValues> & { stanceId?: number | undefined }) | undefined;
}) {
  const { t } = ctx;
  const base = `/admin/campaigns/${campaign.slug}/stances`;
  const valuesOf = (s: ConsoleStance): StanceValues => ({
    label: s.label,
    en: s.translations.en ?? "",
    my: s.translations.my ?? "",
  });
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("stances.title", { name: campaign.name })}>
      <p class="muted">
        <a href={`/admin/campaigns/${campaign.slug}`}>{campaign.name}</a>
      </p>
      <h1>{t("stances.title", { name: campaign.name })}</h1>
      <Notice message={notice} />
      <p class="muted">{t("stances.intro")}</p>
      {stances.length === 0 ? <p>{t("stances.none")}</p> : null}
      {stances.map((s) => {
        const refused = form?.stanceId === s.id ? form : undefined;
        return (
          <PostForm ctx={ctx} action={`${base}/${s.id}`} key={s.id}>
            <Problem message={refused?.problem} />
            <StanceFields
              ctx={ctx}
              prefix={`s${s.id}-`}
              values={refused?.values ?? valuesOf(s)}
              errors={refused?.errors}
            />
            <div class="actions">
              <button type="submit" class="secondary">
                {t("stances.save")}
              </button>{" "}
              <a href={`${base}/${s.id}/remove`}>{t("stances.remove")}</a>
            </div>
          </PostForm>
        );
      })}
      <h2>{t("stances.add")}</h2>
      <PostForm ctx={ctx} action={base}>
        {form && form.stanceId === undefined ? <Problem message={form.problem} /> : null}
        <StanceFields
          ctx={ctx}
          prefix=""
          values={form && form.stanceId === undefined ? form.values : { label: "", en: "", my: "" }}
          errors={form && form.stanceId === undefined ? form.errors : undefined}
        />
        <div class="actions">
          <button type="submit">{t("stances.add")}</button>
        </div>
      </PostForm>
    </ConsoleLayout>
  );
}

/** Field names carry a per-stance prefix so the ids of several forms on one page stay unique. */
function StanceFields({
  ctx,
  prefix,
  values,
  errors,
}: {
  ctx: PageContext;
  prefix: string;
  values: StanceValues;
  errors?: Partial<Record<string, string>> | undefined;
}) {
  const { t } = ctx;
  const named = (field: keyof StanceValues) => ({
    name: `${prefix}${field}`,
    errors: errors ? { [`${prefix}${field}`]: errors[field] } : undefined,
  });
  return (
    <>
      <Field {...named("label")} label={t("stances.label")} value={values.label} required />
      <Field {...named("en")} label={t("stances.en")} value={values.en} lang="en" />
      <Field {...named("my")} label={t("stances.my")} value={values.my} lang="my" />
    </>
  );
}

/**
 * The confirmation before removing a stance: a page of its own, so it works without script, saying how many
 * recipients carry it (all of them lose it).
 */
export function StanceRemovePage({
  ctx,
  user,
  campaign,
  stance,
  carriedBy,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  campaign: { slug: string; name: string };
  stance: ConsoleStance;
  /** How many recipients carry the stance now. */
  carriedBy: number;
  problem?: string | undefined;
}) {
  const { t, locale } = ctx;
  const base = `/admin/campaigns/${campaign.slug}/stances`;
  const title = t("stances.removeTitle", { label: stance.translations[locale] || stance.label });
  return (
    <ConsoleLayout ctx={ctx} user={user} title={title}>
      <p class="muted">
        <a href={base}>{t("stances.title", { name: campaign.name })}</a>
      </p>
      <h1>{title}</h1>
      <Problem message={problem} />
      <div class="error-summary">
        <p>{plural(t, "stances.removeWarning", carriedBy, { count: formatNumber(locale, carriedBy) })}</p>
      </div>
      <PostForm ctx={ctx} action={`${base}/${stance.id}/remove`} class="inline">
        <button type="submit">{t("stances.removeConfirm")}</button>
      </PostForm>{" "}
      <a href={base}>{t("common.cancel")}</a>
    </ConsoleLayout>
  );
}
