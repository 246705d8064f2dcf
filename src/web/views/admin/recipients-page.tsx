import type { RecipientImportReport } from "../../../commands/import-recipients.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type {
  ConsoleRecipient,
  ConsoleRecipients,
  ConsoleStance,
} from "../../../queries/list-letter-recipients.ts";
import { EMPTY_RECIPIENT, type RecipientValues } from "../../forms/recipient-form.ts";
import type { SessionUser } from "../../session.ts";
import { Check, TextArea } from "../components/fields.tsx";
import { type FormState, Notice, PostForm, Problem } from "../components/form.tsx";
import { CsrfField, type PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { DeliveryPreview, type DeliveryPreviewShown } from "./delivery-preview.tsx";
import { LetterTabs } from "./letter-tabs.tsx";
import { DeliveryState, RecipientFields } from "./recipient-fields.tsx";

/*
 * A letter's recipients, on a page that works without JavaScript and on a phone: each recipient's latest
 * delivery state with the mail server's answer, one form to send the letter to the ticked recipients, the
 * add form and the CSV import. One recipient has its own page (recipient-page.tsx). Forms come back with
 * what was typed when refused.
 */

export type RecipientsPageProps = {
  ctx: PageContext;
  user: SessionUser;
  data: ConsoleRecipients;
  notice?: string | undefined;
  /** Why a move up or down was refused. */
  problem?: string | undefined;
  add?: FormState<RecipientValues> | undefined;
  importForm?: FormState<{ csv: string }> | undefined;
  importReport?: RecipientImportReport | undefined;
  deliver?:
    | {
        problem: string;
        selected: number[];
        resend: boolean;
        replyTo: string;
        preview?: DeliveryPreviewShown | undefined;
      }
    | undefined;
};

export function RecipientsPage({
  ctx,
  user,
  data,
  notice,
  problem,
  add,
  importForm,
  importReport,
  deliver,
}: RecipientsPageProps) {
  const { t, locale } = ctx;
  const { letter, recipients } = data;
  const base = `/admin/letters/${letter.id}/recipients`;
  const selected = new Set(deliver?.selected ?? []);
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("recipients.title", { title: letter.title })}>
      <LetterTabs ctx={ctx} user={user} letter={letter} current="/recipients" />
      <p class="muted">
        <a href={`/admin/campaigns/${letter.campaignSlug}/stances`}>{t("stances.define")}</a>
      </p>
      <h1>{t("recipients.title", { title: letter.title })}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      <p class="muted">{t("recipients.intro")}</p>

      {recipients.length === 0 ? (
        <p>{t("recipients.empty")}</p>
      ) : (
        <PostForm ctx={ctx} action={`${base}/deliver`} class="stack review">
          <Problem message={deliver?.problem} />
          <div class="table-scroll">
            <table class="recipients">
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">{t("delivery.select")}</span>
                  </th>
                  <th scope="col">{t("recipients.name")}</th>
                  <th scope="col">{t("recipients.state")}</th>
                </tr>
              </thead>
              <tbody>
                {recipients.map((r, index) => (
                  <tr key={r.id} id={`r-${r.id}`}>
                    <td>
                      <input
                        type="checkbox"
                        name="recipient"
                        value={String(r.id)}
                        id={`recipient-${r.id}`}
                        checked={selected.has(r.id)}
                        disabled={r.emails.length === 0}
                      />
                    </td>
                    <td>
                      <label for={`recipient-${r.id}`}>
                        <strong>{r.name}</strong>
                      </label>
                      {r.office ? <span class="muted">{` · ${r.office}`}</span> : null}
                      {r.country ? <span class="muted">{` · ${r.country}`}</span> : null}
                      <br />
                      <span class="muted">
                        {r.addresseeGroup ? `${r.addresseeGroup} · ` : ""}
                        {r.emails.length > 0 ? r.emails.join(", ") : t("recipients.noEmail")}
                      </span>
                      <br />
                      <a href={`${base}/${r.id}`}>{t("recipients.edit")}</a>
                      <MoveButtons
                        ctx={ctx}
                        recipient={r}
                        first={index === 0}
                        last={index === recipients.length - 1}
                      />
                    </td>
                    <td>
                      <DeliveryState ctx={ctx} delivery={r.deliveries[0]} />
                      {r.responses.length > 0 ? (
                        <p class="muted">
                          {t("recipients.responded", {
                            date: formatDate(locale, r.responses[r.responses.length - 1]!.receivedAt),
                          })}
                        </p>
                      ) : null}
                      <StanceList ctx={ctx} stances={data.stances} ids={r.stanceIds} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Check name="resend" label={t("delivery.resend")} checked={deliver?.resend ?? false} />
          <div class="field">
            <label for="reply-to">{t("delivery.replyTo")}</label>
            <span id="reply-to-hint" class="muted">
              {t("delivery.replyToHint")}
            </span>
            <input
              id="reply-to"
              type="email"
              name="reply_to"
              value={deliver?.replyTo ?? letter.replyTo ?? ""}
              aria-describedby="reply-to-hint"
            />
          </div>
          {deliver?.preview ? <DeliveryPreview ctx={ctx} preview={deliver.preview} /> : null}
          <div class="actions">
            <button
              type="submit"
              name="step"
              value="preview"
              class={deliver?.preview ? "secondary" : undefined}
            >
              {t("delivery.preview")}
            </button>{" "}
            {deliver?.preview ? (
              <button type="submit" name="step" value="send">
                {t("delivery.send")}
              </button>
            ) : null}
          </div>
        </PostForm>
      )}
      {recipients.length > 1 ? <p class="muted">{t("recipients.orderHint")}</p> : null}
      {/* The move buttons sit in the send form's table but submit these (forms cannot nest). */}
      {recipients.map((r) => (
        <form method="post" action={`${base}/${r.id}/move`} class="inline" id={`move-${r.id}`} key={r.id}>
          <CsrfField ctx={ctx} />
        </form>
      ))}

      <h2 id="add">{t("recipients.add")}</h2>
      <PostForm ctx={ctx} action={base}>
        <Problem message={add?.problem} />
        <RecipientFields ctx={ctx} values={add?.values ?? EMPTY_RECIPIENT} errors={add?.errors} />
        <div class="actions">
          <button type="submit">{t("recipients.add")}</button>
        </div>
      </PostForm>

      <h2 id="import">{t("recipients.import")}</h2>
      {importReport ? <ImportReport ctx={ctx} report={importReport} /> : null}
      <PostForm ctx={ctx} action={`${base}/import`}>
        <Problem message={importForm?.problem} />
        <TextArea
          name="csv"
          label={t("recipients.csv")}
          hint={t("recipients.importHint")}
          value={importForm?.values.csv ?? ""}
          errors={importForm?.errors}
          rows={8}
        />
        <div class="actions">
          <button type="submit" class="secondary">
            {t("recipients.importSubmit")}
          </button>
        </div>
      </PostForm>
      <p class="muted">{t("recipients.count", { count: formatNumber(locale, recipients.length) })}</p>
    </ConsoleLayout>
  );
}

/**
 * Up and down for one recipient, buttons of that recipient's move form (outside the send form): plain posts,
 * no script. The first cannot go up nor the last down.
 */
function MoveButtons({
  ctx,
  recipient,
  first,
  last,
}: {
  ctx: PageContext;
  recipient: ConsoleRecipient;
  first: boolean;
  last: boolean;
}) {
  if (first && last) return null;
  const form = `move-${recipient.id}`;
  return (
    <>
      {" · "}
      <MoveButton ctx={ctx} form={form} name={recipient.name} direction="up" disabled={first} />{" "}
      <MoveButton ctx={ctx} form={form} name={recipient.name} direction="down" disabled={last} />
    </>
  );
}

const MOVE_MESSAGES = {
  up: { label: "recipients.moveUp", named: "recipients.moveUpNamed" },
  down: { label: "recipients.moveDown", named: "recipients.moveDownNamed" },
} as const;

/** One of a recipient's move buttons; it submits the row's move form, its name in its accessible label. */
function MoveButton({
  ctx,
  form,
  name,
  direction,
  disabled,
}: {
  ctx: PageContext;
  form: string;
  name: string;
  direction: "up" | "down";
  disabled: boolean;
}) {
  const messages = MOVE_MESSAGES[direction];
  return (
    <button
      type="submit"
      class="secondary"
      form={form}
      name="direction"
      value={direction}
      disabled={disabled}
      aria-label={ctx.t(messages.named, { name })}
    >
      {ctx.t(messages.label)}
    </button>
  );
}

function ImportReport({ ctx, report }: { ctx: PageContext; report: RecipientImportReport }) {
  const { t, locale } = ctx;
  const n = (value: number) => formatNumber(locale, value);
  return (
    <div class="notice" role="status">
      <p>
        {t("recipients.importSummary", {
          imported: n(report.imported),
          duplicates: n(report.duplicates),
          invalid: n(report.invalid),
        })}
      </p>
      <ul class="import-report">
        {report.rows.map((row) => (
          <li key={row.record}>
            {t("recipients.importRow", { record: n(row.record) })}: {row.name || "—"} ·{" "}
            {t(`recipients.outcome.${row.outcome}`)}
            {Object.entries(row.problems).map(([field, key]) => (
              <span key={field} class="field-error">{` ${field}: ${t(key!)}`}</span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

function StanceList({ ctx, stances, ids }: { ctx: PageContext; stances: ConsoleStance[]; ids: number[] }) {
  const held = stances.filter((s) => ids.includes(s.id));
  if (held.length === 0) return null;
  return <p class="muted">{held.map((s) => s.translations[ctx.locale] || s.label).join(" · ")}</p>;
}
