import { formatDate } from "../../../i18n/index.ts";
import type { PublicCampaign } from "../../../queries/get-campaign.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { countNoun } from "./counts.ts";

export function CampaignPage({ ctx, campaign }: { ctx: PageContext; campaign: PublicCampaign }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={campaign.name}>
      {campaign.isExample ? (
        <p class="banner" role="note">
          {t("example.banner")}
        </p>
      ) : null}
      <h1>{campaign.name}</h1>
      {campaign.description ? <p>{campaign.description}</p> : null}
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
              {t("letter.endorsedBy", { total: countNoun(t, locale, letter.signers, letter.counts.total) })}
            </p>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
