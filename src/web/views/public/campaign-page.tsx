import { countSummary } from "../../../domain/count-statement.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type { CampaignTimeline, TimelineEvent } from "../../../queries/get-campaign-timeline.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { langOf } from "../text-lang.tsx";
import { publishedAndCounted } from "./letter-summary.tsx";

export function CampaignPage({ ctx, timeline }: { ctx: PageContext; timeline: CampaignTimeline }) {
  const { t, locale } = ctx;
  const { campaign, counts } = timeline;
  const n = (value: number) => formatNumber(locale, value);
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
      <p class="campaign-counts">
        {t("timeline.counts", {
          letters: n(counts.letters),
          endorsements: n(counts.endorsements),
          delivered: n(counts.delivered),
          responses: n(counts.responses),
          updates: n(counts.updates),
        })}
      </p>
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
              {publishedAndCounted(ctx, letter)}
            </p>
          </li>
        ))}
      </ol>
      {timeline.events.length > 0 ? (
        <section aria-labelledby="timeline">
          <h2 id="timeline">{t("timeline.heading")}</h2>
          <p class="muted">{t("timeline.order")}</p>
          <ol class="timeline">
            {timeline.events.map((event, i) => (
              <li key={i} class={`timeline-item timeline-${event.kind}`}>
                <time datetime={event.date.slice(0, 10)}>{formatDate(locale, event.date)}</time>{" "}
                <TimelineText ctx={ctx} event={event} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </Layout>
  );
}

function LetterLink({ ctx, letter }: { ctx: PageContext; letter: TimelineEvent["letter"] }) {
  return (
    <a href={`/letters/${letter.slug}`} lang={letter.language !== ctx.locale ? letter.language : undefined}>
      {letter.title}
    </a>
  );
}

function TimelineText({ ctx, event }: { ctx: PageContext; event: TimelineEvent }) {
  const { t, locale } = ctx;
  switch (event.kind) {
    case "letter":
      return (
        <>
          <strong>{t("timeline.letter")}</strong> <LetterLink ctx={ctx} letter={event.letter} />
          {" — "}
          {countSummary(event.counts, event.signers, locale, t)}
        </>
      );
    case "delivery":
      return (
        <>
          <strong>{t("timeline.delivery")}</strong> <LetterLink ctx={ctx} letter={event.letter} />
          {" — "}
          {t(event.recipients === 1 ? "timeline.deliveredTo.one" : "timeline.deliveredTo.other", {
            count: formatNumber(locale, event.recipients),
          })}
        </>
      );
    case "response":
      return (
        <>
          <strong>{t("timeline.response")}</strong>{" "}
          <span lang={langOf(event.recipient, locale)}>{event.recipient}</span>
          {event.country ? ` (${event.country})` : ""}
          {" — "}
          <LetterLink ctx={ctx} letter={event.letter} />
          {event.summary ? (
            <>
              {": "}
              <span lang={langOf(event.summary, locale)}>{event.summary}</span>
            </>
          ) : null}
        </>
      );
    case "update":
      return (
        <>
          <strong>{t("timeline.update")}</strong>{" "}
          <a href={`/letters/${event.letter.slug}#update-${event.updateId}`} lang={event.language}>
            {event.title}
          </a>
          {" — "}
          <LetterLink ctx={ctx} letter={event.letter} />
        </>
      );
  }
}
