import { LETTER_LANGUAGES, languageName } from "../../../domain/letter-settings.ts";
import { formatNumber, plural } from "../../../i18n/index.ts";
import { can } from "../../../policies/policy.ts";
import type { ConsoleCampaign, ConsoleLetter } from "../../../queries/list-console-campaigns.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { Field, formFields, Select, TextArea } from "../components/fields.tsx";
import { PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

type FormState = { values?: Record<string, string>; errors?: FieldErrors; problem?: string | undefined };

export function CampaignsPage({
  ctx,
  user,
  campaigns,
  form = {},
}: {
  ctx: PageContext;
  user: SessionUser;
  campaigns: ConsoleCampaign[];
  form?: FormState;
}) {
  const { t, locale } = ctx;
  const field = formFields(t, form.values, form.errors);
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("campaigns.title")}>
      <h1>{t("campaigns.title")}</h1>
      {campaigns.length === 0 ? <p>{t("campaigns.empty")}</p> : null}
      <ul class="campaigns">
        {campaigns.map((c) => (
          <li key={c.id}>
            <a href={`/admin/campaigns/${c.slug}`}>{c.name}</a>{" "}
            <span class="muted">
              {plural(t, "campaigns.letterCount", c.letters, { count: formatNumber(locale, c.letters) })}
              {c.isExample ? ` · ${t("campaigns.example")}` : ""}
            </span>
          </li>
        ))}
      </ul>
      {can(user, "campaign.create") ? (
        <section aria-labelledby="new-campaign">
          <h2 id="new-campaign">{t("campaigns.new")}</h2>
          <Problem message={form.problem} />
          <PostForm ctx={ctx} action="/admin/campaigns">
            <Field {...field("name", "campaigns.name")} required />
            <Field {...field("slug", "campaigns.slug")} hint={t("campaigns.slugHint")} required />
            <TextArea
              name="description"
              label={t("campaigns.description")}
              value={form.values?.description ?? ""}
              errors={form.errors}
              rows={3}
            />
            <div>
              <button type="submit">{t("campaigns.create")}</button>
            </div>
          </PostForm>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

export function CampaignPage({
  ctx,
  user,
  campaign,
  letters,
  form = {},
}: {
  ctx: PageContext;
  user: SessionUser;
  campaign: ConsoleCampaign;
  letters: ConsoleLetter[];
  form?: FormState;
}) {
  const { t, locale } = ctx;
  const field = formFields(t, form.values, form.errors);
  return (
    <ConsoleLayout ctx={ctx} user={user} title={campaign.name}>
      <p class="muted">
        <a href="/admin/campaigns">{t("campaigns.title")}</a>
      </p>
      <h1>{campaign.name}</h1>
      {campaign.description ? <p>{campaign.description}</p> : null}
      {can(user, "team.manage", campaign.id) || can(user, "campaign.edit", campaign.id) ? (
        <p>
          {can(user, "team.manage", campaign.id) ? (
            <a href={`/admin/campaigns/${campaign.slug}/team`}>{t("team.nav")}</a>
          ) : null}
          {can(user, "team.manage", campaign.id) && can(user, "campaign.edit", campaign.id) ? " · " : null}
          {can(user, "campaign.edit", campaign.id) ? (
            <a href={`/admin/campaigns/${campaign.slug}/key`}>{t("campaignKey.nav")}</a>
          ) : null}
        </p>
      ) : null}
      {campaign.hasKey ? null : <p class="banner">{t("campaigns.noKey")}</p>}
      {letters.length === 0 ? <p>{t("campaigns.noLetters")}</p> : null}
      <ol class="letters">
        {letters.map((l) => (
          <li key={l.id}>
            <a href={`/admin/letters/${l.id}`}>{l.title}</a>{" "}
            <span class="muted">
              {t(`letters.state.${l.state}`)} ·{" "}
              {t("letters.version", { number: formatNumber(locale, l.versionNumber) })} ·{" "}
              {l.languages.join(", ")} · <a href={`/admin/letters/${l.id}/review`}>{t("review.tab")}</a>
              {l.pending > 0 && can(user, "signature.review", campaign.id) ? (
                <>
                  {" "}
                  <strong class="pending-count">
                    {plural(t, "review.pending", l.pending, { count: formatNumber(locale, l.pending) })}
                  </strong>
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
      {can(user, "letter.edit", campaign.id) ? (
        <section aria-labelledby="new-letter">
          <h2 id="new-letter">{t("letters.new")}</h2>
          <Problem message={form.problem} />
          <PostForm ctx={ctx} action={`/admin/campaigns/${campaign.slug}/letters`}>
            <Field {...field("title", "letters.title")} required />
            <Field {...field("slug", "letters.slug")} hint={t("letters.slugHint")} required />
            <Select
              name="language"
              label={t("letters.language")}
              value={form.values?.language ?? "en"}
              errors={form.errors}
              options={LETTER_LANGUAGES.map((l) => ({
                value: l,
                label: `${languageName(l, locale)} (${l})`,
              }))}
            />
            <div>
              <button type="submit">{t("letters.create")}</button>
            </div>
          </PostForm>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
