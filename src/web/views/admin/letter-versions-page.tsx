import type { TranslationContent } from "../../../domain/letter-content-hash.ts";
import { languageName } from "../../../domain/letter-settings.ts";
import { type DiffPart, diffText, hasChanges } from "../../../domain/text-diff.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type { LetterVersion } from "../../../queries/list-letter-versions.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs, tabsOf } from "./letter-tabs.tsx";

/** A translation flattened to text in reading order, so one diff shows every kind of change. */
function asText(t: TranslationContent | undefined): string {
  if (!t) return "";
  const groups = t.addressees.map((g) => `${g.heading}\n${g.names.join("\n")}`).join("\n\n");
  return [t.title, t.subject, groups, t.salutation, t.body, t.closing, t.publisherAbout]
    .filter(Boolean)
    .map((part) => `${part}\n`)
    .join("\n");
}

function Diff({ parts }: { parts: DiffPart[] }) {
  return (
    <pre class="diff">
      {parts.map((p, i) =>
        p.kind === "added" ? (
          <ins key={i}>{p.text}</ins>
        ) : p.kind === "removed" ? (
          <del key={i}>{p.text}</del>
        ) : (
          p.text
        ),
      )}
    </pre>
  );
}

export function LetterVersionsPage({
  ctx,
  user,
  letter,
  title,
  versions,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: { id: number; slug: string; state: string; campaign: { id: number } };
  title: string;
  versions: LetterVersion[];
}) {
  const { t, locale } = ctx;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("letters.versionsTitle", { title })}>
      <h1>{t("letters.versionsTitle", { title })}</h1>
      <LetterTabs ctx={ctx} user={user} letter={tabsOf(letter)} current="/versions" />
      {versions.map((version, index) => {
        const previous = versions[index + 1];
        const languages = [
          ...new Set([...version.translations, ...(previous?.translations ?? [])].map((tr) => tr.language)),
        ];
        const diffs = previous
          ? languages
              .map((language) => ({
                language,
                parts: diffText(
                  asText(previous.translations.find((tr) => tr.language === language)),
                  asText(version.translations.find((tr) => tr.language === language)),
                  language,
                ),
              }))
              .filter((d) => hasChanges(d.parts))
          : [];
        return (
          <section key={version.id} class="version" aria-labelledby={`version-${version.number}`}>
            <h2 id={`version-${version.number}`}>
              {t("letters.version", { number: formatNumber(locale, version.number) })}
              {index === 0 ? ` (${t("letters.current")})` : ""}
            </h2>
            <p class="muted">
              {t("letters.versionMeta", {
                date: `${formatDate(locale, version.createdAt)} ${version.createdAt.slice(11, 16)} UTC`,
                name: version.createdBy ?? "cli",
              })}
              {" · "}
              {t("letters.versionEndorsements", { count: formatNumber(locale, version.signatures) })}
            </p>
            {previous ? (
              <>
                <h3>{t("letters.changesFrom", { number: formatNumber(locale, previous.number) })}</h3>
                {previous.letterDate !== version.letterDate ? (
                  <Diff
                    parts={diffText(`${previous.letterDate ?? ""}\n`, `${version.letterDate ?? ""}\n`, "en")}
                  />
                ) : null}
                {diffs.map(({ language, parts }) => (
                  <div key={language} lang={language}>
                    <h4 lang={locale}>{languageName(language, locale)}</h4>
                    <Diff parts={parts} />
                  </div>
                ))}
                {diffs.length === 0 && previous.letterDate === version.letterDate ? (
                  <p>{t("letters.noChanges")}</p>
                ) : null}
              </>
            ) : (
              <p>{t("letters.firstVersion")}</p>
            )}
          </section>
        );
      })}
    </ConsoleLayout>
  );
}
