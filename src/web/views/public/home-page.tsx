import type { PublishedLetterSummary } from "../../../queries/list-published-letters.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { publishedAndCounted } from "./letter-summary.tsx";

export function HomePage({ ctx, letters }: { ctx: PageContext; letters: PublishedLetterSummary[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t("home.title")}>
      <h1>{t("home.title")}</h1>
      <p class="muted">{t("home.intro")}</p>
      {letters.length === 0 ? (
        <p>{t("home.empty")}</p>
      ) : (
        <ul class="letters">
          {letters.map((letter) => (
            <li key={letter.slug}>
              <h2 lang={letter.language !== locale ? letter.language : undefined}>
                <a href={`/letters/${letter.slug}`}>{letter.title}</a>
              </h2>
              <p class="muted">
                {letter.campaign.isExample ? <strong>{`${t("example.badge")} · `}</strong> : null}
                {publishedAndCounted(ctx, letter)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
