import { countryName } from "../../../domain/countries.ts";
import type { DuplicatePair } from "../../../domain/duplicates.ts";
import type { ListedEndorsement } from "../../../queries/list-duplicate-suggestions.ts";
import type { SessionUser } from "../../app.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { Notice, PostForm, Problem } from "./fields.tsx";

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
  notice,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: { id: number; title: string };
  pairs: DuplicatePair<ListedEndorsement>[];
  notice?: string | undefined;
  problem?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("duplicates.title", { title: letter.title })}>
      <p class="muted">
        <a href={`/admin/letters/${letter.id}`}>{letter.title}</a>
      </p>
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
    </ConsoleLayout>
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
