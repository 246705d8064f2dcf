import { countryName } from "../../../domain/countries.ts";
import type { DuplicatePair } from "../../../domain/duplicates.ts";
import type { ComparisonRecords } from "../../../queries/list-comparison-records.ts";
import type { ListedEndorsement } from "../../../queries/list-duplicate-suggestions.ts";
import { assetUrl } from "../../http/static-assets.ts";
import type { SessionUser } from "../../session.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs } from "./letter-tabs.tsx";
import { KeyLoader } from "./review-queue-page.tsx";

/**
 * Suggested duplicates among listed endorsements, side by side, each pair with one Merge button (a plain
 * form) and a link to correct either side instead when the two are in fact different organisations with a
 * misspelt name. Undisclosed endorsements are not compared here: their names are sealed.
 */
export function DuplicatesPage({
  ctx,
  user,
  letter,
  pairs,
  comparison,
  notice,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: { id: number; title: string; campaignId: number };
  pairs: DuplicatePair<ListedEndorsement>[];
  comparison?: ComparisonRecords | undefined;
  notice?: string | undefined;
  problem?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("duplicates.title", { title: letter.title })}>
      <LetterTabs ctx={ctx} user={user} letter={letter} current="/duplicates" />
      <h1>{t("duplicates.title", { title: letter.title })}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      <p class="muted">{t("duplicates.intro")}</p>
      {pairs.length === 0 ? <p>{t("duplicates.none")}</p> : null}
      {pairs.map((pair) => (
        <section class="duplicate-pair" key={`${pair.first.id}-${pair.second.id}`}>
          <p class="muted">{t("duplicates.score", { score: Math.round(pair.score * 100) })}</p>
          <div class="side-by-side">
            <Side ctx={ctx} letterId={letter.id} endorsement={pair.first} label={t("duplicates.keep")} />
            <Side
              ctx={ctx}
              letterId={letter.id}
              endorsement={pair.second}
              label={t("duplicates.mergeAway")}
            />
          </div>
          <PostForm ctx={ctx} action={`/admin/letters/${letter.id}/duplicates/merge`} class="inline">
            <input type="hidden" name="first" value={String(pair.first.id)} />
            <input type="hidden" name="second" value={String(pair.second.id)} />
            <button type="submit">{t("duplicates.merge")}</button>
          </PostForm>
        </section>
      ))}
      {comparison && comparison.undisclosed.length > 0 && comparison.campaignPublicKey ? (
        <UndisclosedComparison ctx={ctx} letterId={letter.id} comparison={comparison} />
      ) : null}
    </ConsoleLayout>
  );
}

/**
 * Undisclosed endorsements, compared in the browser (compare-undisclosed.js) once open-sealed.js has opened
 * them with the coalition key: the sealed rows are here for it to open, the listed names to compare with,
 * and a merge form to copy for each pair it finds. The server sends no name of an undisclosed endorsement
 * and learns none: a merge posts the two ids, like the merges above.
 */
function UndisclosedComparison({
  ctx,
  letterId,
  comparison,
}: {
  ctx: PageContext;
  letterId: number;
  comparison: ComparisonRecords;
}) {
  const { t } = ctx;
  return (
    <section
      aria-labelledby="undisclosed-duplicates"
      data-undisclosed-comparison
      data-listed={JSON.stringify(comparison.listed)}
      data-msg-keep={t("duplicates.keep")}
      data-msg-merge-away={t("duplicates.mergeAway")}
      data-msg-score={t("duplicates.score")}
      data-msg-none={t("duplicates.undisclosedNone")}
      data-msg-undisclosed={t("duplicates.undisclosedLabel")}
      data-msg-approved={t("duplicates.state.approved")}
      data-msg-confirmed={t("duplicates.state.confirmed")}
    >
      <h2 id="undisclosed-duplicates">{t("duplicates.undisclosedTitle")}</h2>
      <p class="muted">{t("duplicates.undisclosedIntro", { count: comparison.undisclosed.length })}</p>
      <KeyLoader ctx={ctx} publicKey={comparison.campaignPublicKey!} />
      <table hidden>
        <tbody>
          {comparison.undisclosed.map((e) => (
            <tr
              key={String(e.id)}
              data-id={String(e.id)}
              data-state={e.state}
              data-confirmed-at={e.confirmedAt ?? ""}
              data-sealed-identity={e.sealedIdentity}
              data-sealed-contact=""
            >
              <td data-opened="name" />
            </tr>
          ))}
        </tbody>
      </table>
      <div data-undisclosed-pairs aria-live="polite" />
      <template data-merge-form>
        <PostForm ctx={ctx} action={`/admin/letters/${letterId}/duplicates/merge`} class="inline">
          <input type="hidden" name="first" value="" />
          <input type="hidden" name="second" value="" />
          <button type="submit">{t("duplicates.merge")}</button>
        </PostForm>
      </template>
      <script type="module" src={assetUrl("admin/compare-undisclosed.js")} />
    </section>
  );
}

function Side({
  ctx,
  letterId,
  endorsement: e,
  label,
}: {
  ctx: PageContext;
  letterId: number;
  endorsement: ListedEndorsement;
  label: string;
}) {
  const { t, locale } = ctx;
  return (
    <div>
      <p class="muted">{label}</p>
      <p>
        <strong>{e.name}</strong>
        {e.nameAlt ? ` · ${e.nameAlt}` : ""}
      </p>
      <p>
        {[e.category, e.country ? countryName(e.country, locale) : null, e.website]
          .filter(Boolean)
          .join(" · ")}
      </p>
      <p class="muted">
        {t(`duplicates.state.${e.state === "approved" ? "approved" : "confirmed"}`)} ·{" "}
        {e.confirmedAt?.slice(0, 10)} ·{" "}
        <a href={`/admin/letters/${letterId}/endorsements/${e.id}/correct`}>{t("corrections.link")}</a>
      </p>
    </div>
  );
}
