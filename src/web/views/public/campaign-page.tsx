import { countSummary } from "../../../domain/count-statement.ts";
import { formatDate } from "../../../i18n/index.ts";
import type { PublicCampaign } from "../../../queries/get-campaign.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { langOf } from "../text-lang.tsx";

export function CampaignPage({ ctx, campaign }: { ctx: PageContext; campaign: PublicCampaign }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={campaign.name}>
      {campaign.isExample ? (
        <p class="banner" role="note">
          {t("example.banner")}
        </p>
      ) : null}
      <h1 lang={langOf(campaign.name, locale)}>{campaign.name}</h1>
      {campaign.description ? (
        <p lang={langOf(campaign.description, locale)}>{campaign.description}</p>
      ) : null}
      <h2>{t("campaign.letters")}</h2>
      <ol class="letters">
        {campaign.letters.map((letter) => (
          <li key={letter.slug}>
            <h3 lang={letter.language !== locale ? letter.language : undefined}>
              <a href={`/letters/${letter.slug}`}>{letter.title}</a>
            </h3>
            <p class="muted">
              {letter.letterDate
                ? `${t("letter.letterDate", { date: formatDate(locale, letter.letterDate) })} · `
                : ""}
              {letter.publicationDate
                ? `${t("letter.published", { date: formatDate(locale, letter.publicationDate) })} · `
                : ""}
              {countSummary(letter.counts, letter.signers, locale, t)}
            </p>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
