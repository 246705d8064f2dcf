import { KEYED_MATCH_SECRET_CONTEXT } from "../../../crypto/keyed-match-key.ts";
import { countryName } from "../../../domain/countries.ts";
import { formatNumber, plural } from "../../../i18n/index.ts";
import { can } from "../../../policies/policy.ts";
import type { QueuedEndorsement, ReviewFilters, ReviewQueue } from "../../../queries/list-review-queue.ts";
import { assetUrl } from "../../http/static-assets.ts";
import type { SessionUser } from "../../session.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs } from "./letter-tabs.tsx";
import { NameChanges } from "./name-changes.tsx";

/*
 * The review queue. Without JavaScript it is a filter form (GET) and one bulk form: a checkbox per
 * endorsement, a reason, Approve / Reject buttons for the ticked ones and one for every row shown (up to a
 * page of the queue, one POST). Undisclosed rows show "sealed"; open-sealed.js (with
 * the coalition key loaded in this browser) fills their cells in place. The opened text lives only in table
 * cells, never in form fields, so the decision posted back carries ids, the action and the reason only.
 */

export function ReviewQueuePage({
  ctx,
  user,
  queue,
  filters,
  notice,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  queue: ReviewQueue;
  filters: ReviewFilters;
  notice?: string | undefined;
  problem?: string | undefined;
}) {
  const { t, locale } = ctx;
  const { letter } = queue;
  const query = new URLSearchParams(
    Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === "string"),
  ).toString();
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("review.title", { title: letter.title })}>
      <LetterTabs ctx={ctx} user={user} letter={letter} current="/review" />
      <h1>{t("review.title", { title: letter.title })}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      <NameChanges ctx={ctx} letterId={letter.id} changes={queue.nameChanges} />
      <p class="muted">
        {t("review.exportPublic")} <a href={`/admin/letters/${letter.id}/export/public.csv`}>CSV</a> ·{" "}
        <a href={`/admin/letters/${letter.id}/export/public.json`}>JSON</a>
      </p>
      <p>
        {t("review.count", {
          shown: formatNumber(locale, queue.endorsements.length),
          total: formatNumber(locale, queue.total),
        })}
      </p>

      <form method="get" action={`/admin/letters/${letter.id}/review`} class="filters">
        <Choice
          name="kind"
          label={t("review.kind")}
          any={t("review.any")}
          value={filters.kind}
          options={[
            ["organisation", t("review.kindOrganisation")],
            ["individual", t("review.kindIndividual")],
          ]}
        />
        <Choice
          name="visibility"
          label={t("review.visibility")}
          any={t("review.any")}
          value={filters.visibility}
          options={[
            ["listed", t("review.listed")],
            ["undisclosed", t("review.undisclosed")],
          ]}
        />
        <Choice
          name="category"
          label={t("review.category")}
          any={t("review.any")}
          value={filters.category}
          options={queue.categories.map((c) => [c, c])}
        />
        <Choice
          name="country"
          label={t("review.country")}
          any={t("review.any")}
          value={filters.country}
          options={queue.countries.map((c) => [c, countryName(c, locale)])}
        />
        <Choice
          name="source"
          label={t("review.source")}
          any={t("review.any")}
          value={filters.source}
          options={[
            ["form", t("review.sourceForm")],
            ["import", t("review.sourceImport")],
            ["coordinator", t("review.sourceCoordinator")],
          ]}
        />
        <button type="submit" class="secondary">
          {t("review.filter")}
        </button>
      </form>

      {/* Listed rows have a sealed contact too, so the key is useful on any non-empty queue. */}
      {queue.endorsements.length > 0 && letter.campaignPublicKey ? (
        <KeyLoader ctx={ctx} publicKey={letter.campaignPublicKey} />
      ) : null}

      {queue.endorsements.length === 0 ? (
        <p>{t("review.empty")}</p>
      ) : (
        <PostForm
          ctx={ctx}
          action={`/admin/letters/${letter.id}/review${query ? `?${query}` : ""}`}
          class="stack review"
        >
          <div class="table-scroll">
            <table class="review-queue">
              <thead>
                <tr>
                  <th scope="col">
                    {/* Shown by select-all.js; without script, "Approve all shown" below does its job. */}
                    <input
                      type="checkbox"
                      id="review-select-all"
                      data-select-all
                      hidden
                      aria-label={t("review.selectAll")}
                    />
                    <span class="visually-hidden">{t("review.select")}</span>
                  </th>
                  <th scope="col">{t("review.name")}</th>
                  <th scope="col">{t("review.details")}</th>
                  <th scope="col">{t("review.contact")}</th>
                </tr>
              </thead>
              <tbody>
                {queue.endorsements.map((e) => (
                  <Row
                    ctx={ctx}
                    endorsement={e}
                    letterId={letter.id}
                    canCorrect={can(user, "signature.edit", letter.campaignId)}
                    key={e.id}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <div class="field">
            <label for="review-reason">{t("review.reason")}</label>
            <span id="review-reason-hint" class="muted">
              {t("review.reasonHint")}
            </span>
            <textarea
              id="review-reason"
              name="reason"
              rows={2}
              maxLength={500}
              aria-describedby="review-reason-hint"
            />
          </div>
          <div class="actions">
            <button type="submit" name="action" value="approve">
              {t("review.approve")}
            </button>{" "}
            <button type="submit" name="action" value="reject" class="secondary">
              {t("review.reject")}
            </button>{" "}
            {/* The rows on this page, and only those: one arriving after the page was read is never approved
                unseen. Without script this is the way to approve a whole page at once. */}
            {queue.endorsements.map((e) => (
              <input type="hidden" name="shown" value={String(e.id)} key={e.id} />
            ))}
            <button type="submit" name="action" value="approveShown" class="secondary">
              {plural(t, "review.approveShown", queue.endorsements.length, {
                count: formatNumber(locale, queue.endorsements.length),
              })}
            </button>
          </div>
          <script src={assetUrl("admin/select-all.js")} defer />
        </PostForm>
      )}
    </ConsoleLayout>
  );
}

function Row({
  ctx,
  endorsement: e,
  letterId,
  canCorrect,
}: {
  ctx: PageContext;
  endorsement: QueuedEndorsement;
  letterId: number;
  canCorrect: boolean;
}) {
  const { t, locale } = ctx;
  const kind = e.kind === "organisation" ? t("review.kindOrganisation") : t("review.kindIndividual");
  const checkbox = `review-${e.id}`;
  if (e.visibility === "undisclosed") {
    return (
      <tr data-sealed-identity={e.sealedIdentity ?? ""} data-sealed-contact={e.sealedContact ?? ""}>
        <td>
          <input type="checkbox" name="id" value={String(e.id)} id={checkbox} />
        </td>
        <td>
          <label for={checkbox} data-opened="name">
            <span class="sealed">{t("review.sealed")}</span>
          </label>
          <span class="muted"> · {t("review.undisclosed")}</span>
        </td>
        <td data-opened="details">
          {kind} · {sourceLabel(ctx, e.source)}
        </td>
        <td data-opened="contact">
          <span class="sealed">{t("review.sealed")}</span>
        </td>
      </tr>
    );
  }
  return (
    <tr data-sealed-contact={e.sealedContact ?? ""}>
      <td>
        <input type="checkbox" name="id" value={String(e.id)} id={checkbox} />
      </td>
      <td>
        <label for={checkbox}>{e.displayName}</label>
        {e.displayNameAlt ? <span class="muted"> · {e.displayNameAlt}</span> : null}
        {/* A misspelt name is best fixed before approval publishes it. */}
        {canCorrect ? (
          <>
            {" · "}
            <a href={`/admin/letters/${letterId}/endorsements/${e.id}/correct`}>{t("corrections.link")}</a>
          </>
        ) : null}
      </td>
      <td>
        {kind}
        {e.category ? ` · ${e.category}` : ""}
        {e.country ? ` · ${countryName(e.country, locale)}` : ""} · {sourceLabel(ctx, e.source)}
        {e.website ? (
          <>
            <br />
            <a href={e.website} rel="noreferrer noopener" target="_blank">
              {e.website}
            </a>
          </>
        ) : null}
      </td>
      <td data-opened="contact">
        <span class="sealed">{t("review.sealed")}</span>
      </td>
    </tr>
  );
}

function sourceLabel(ctx: PageContext, source: QueuedEndorsement["source"]): string {
  const { t } = ctx;
  switch (source) {
    case "form":
      return t("review.sourceForm");
    case "import":
      return t("review.sourceImport");
    case "coordinator":
      return t("review.sourceCoordinator");
    case "example":
      return t("review.sourceExample");
  }
}

function Choice({
  name,
  label,
  any,
  value,
  options,
}: {
  name: string;
  label: string;
  any: string;
  value: string | undefined;
  options: [string, string][];
}) {
  const id = `filter-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        <option value="">{any}</option>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value} key={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Where the coordinator loads the coalition key. Hidden until open-sealed.js shows it (it does nothing
 * without script), and its inputs have no name, so even a stray submission could never carry the key
 * file or the passphrase anywhere.
 */
export function KeyLoader({
  ctx,
  publicKey,
  matchSecret,
}: {
  ctx: PageContext;
  publicKey: string;
  /** On the import page: the key is opened to derive keyed match keys (crypto/keyed-match-key.ts). */
  matchSecret?: { title: string; intro: string };
}) {
  const { t } = ctx;
  return (
    <section class="key-loader" aria-labelledby="key-loader-title">
      <h2 id="key-loader-title">{matchSecret?.title ?? t("review.keyTitle")}</h2>
      <p class="muted">{matchSecret?.intro ?? t("review.keyIntro")}</p>
      <noscript>
        <p>{t("review.keyNeedsScript")}</p>
      </noscript>
      <form
        id="key-loader"
        class="stack"
        hidden
        data-public-key={publicKey}
        data-match-secret={matchSecret ? KEYED_MATCH_SECRET_CONTEXT : undefined}
        data-sodium-base="/admin/assets/"
        data-msg-opening={t("review.keyOpening")}
        data-msg-opened={t("review.keyOpened")}
        data-msg-wrong={t("review.keyWrong")}
        data-msg-other={t("review.keyOtherCampaign")}
        data-msg-invalid={t("review.keyInvalid")}
        data-msg-forgotten={t("review.keyForgotten")}
        data-msg-unreadable={t("review.unreadable")}
        data-msg-sealed={t("review.sealed")}
      >
        <div class="field">
          <label for="key-file">{t("review.keyFile")}</label>
          <input id="key-file" type="file" accept=".json,application/json" />
        </div>
        <div class="field">
          <label for="key-passphrase">{t("review.keyPassphrase")}</label>
          <input id="key-passphrase" type="password" autocomplete="off" />
        </div>
        <div class="actions">
          <button type="submit">{t("review.keyOpen")}</button>{" "}
          <button type="button" class="secondary" data-forget hidden>
            {t("review.keyForget")}
          </button>
        </div>
        <p role="status" aria-live="polite" data-key-status />
      </form>
      <script src={assetUrl("admin/open-sealed.js")} defer />
    </section>
  );
}
