import type { RecipientImportReport } from "../../../commands/import-recipients.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type {
  ConsoleDelivery,
  ConsoleRecipient,
  ConsoleRecipients,
  ConsoleStance,
} from "../../../queries/list-letter-recipients.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { CsrfField, type PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { Notice, PostForm, Problem } from "./fields.tsx";
import { Flag, Input, Select, TextArea } from "./letter-fields.tsx";

/*
 * A letter's recipients and their delivery, on two pages that work without JavaScript and on a phone:
 * the list (each recipient's latest delivery state with the mail server's answer, one form to send the
 * letter to the ticked recipients, the add form and the CSV import) and one recipient (edit, deliveries,
 * manual delivery, responses, stances, removal). Forms come back with what was typed when refused.
 */

export type RecipientValues = {
  name: string;
  office: string;
  country: string;
  addresseeGroup: string;
  emails: string;
  postalAddress: string;
  notes: string;
};

export const EMPTY_RECIPIENT: RecipientValues = {
  name: "",
  office: "",
  country: "",
  addresseeGroup: "",
  emails: "",
  postalAddress: "",
  notes: "",
};

export function recipientValuesOf(r: ConsoleRecipient): RecipientValues {
  return {
    name: r.name,
    office: r.office ?? "",
    country: r.country ?? "",
    addresseeGroup: r.addresseeGroup ?? "",
    emails: r.emails.join(", "),
    postalAddress: r.postalAddress ?? "",
    notes: r.notes ?? "",
  };
}

/** Which form of the page a message or error belongs to. */
export type FormState<V> = { values: V; errors?: FieldErrors | undefined; problem?: string | undefined };

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
  deliver?: { problem: string; selected: number[]; resend: boolean } | undefined;
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
      <p class="muted">
        <a href={`/admin/letters/${letter.id}`}>{letter.title}</a> ·{" "}
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
          <Flag name="resend" label={t("delivery.resend")} checked={deliver?.resend ?? false} />
          <div class="actions">
            <button type="submit">{t("delivery.deliver")}</button>
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
  const { t } = ctx;
  if (first && last) return null;
  const form = `move-${recipient.id}`;
  return (
    <>
      {" · "}
      <button
        type="submit"
        class="secondary"
        form={form}
        name="direction"
        value="up"
        disabled={first}
        aria-label={t("recipients.moveUpNamed", { name: recipient.name })}
      >
        {t("recipients.moveUp")}
      </button>{" "}
      <button
        type="submit"
        class="secondary"
        form={form}
        name="direction"
        value="down"
        disabled={last}
        aria-label={t("recipients.moveDownNamed", { name: recipient.name })}
      >
        {t("recipients.moveDown")}
      </button>
    </>
  );
}

export function RecipientFields({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: RecipientValues;
  errors?: FieldErrors | undefined;
}) {
  const { t } = ctx;
  return (
    <>
      <Input name="name" label={t("recipients.name")} value={values.name} errors={errors} required />
      <Input name="office" label={t("recipients.office")} value={values.office} errors={errors} />
      <Input name="country" label={t("recipients.country")} value={values.country} errors={errors} />
      <Input
        name="addresseeGroup"
        label={t("recipients.group")}
        hint={t("recipients.groupHint")}
        value={values.addresseeGroup}
        errors={errors}
      />
      <TextArea
        name="emails"
        label={t("recipients.emails")}
        hint={t("recipients.emailsHint")}
        value={values.emails}
        errors={errors}
        rows={2}
      />
      <TextArea
        name="postalAddress"
        label={t("recipients.postal")}
        value={values.postalAddress}
        errors={errors}
        rows={3}
      />
      <TextArea name="notes" label={t("recipients.notes")} value={values.notes} errors={errors} rows={2} />
    </>
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

export function DeliveryState({
  ctx,
  delivery,
}: {
  ctx: PageContext;
  delivery: ConsoleDelivery | undefined;
}) {
  const { t, locale } = ctx;
  if (!delivery) return <span class="muted">{t("delivery.state.none")}</span>;
  return (
    <span>
      <strong class={`delivery-${delivery.state}`}>{t(`delivery.state.${delivery.state}`)}</strong>{" "}
      <span class="muted">{t(`delivery.method.${delivery.method}`)}</span>
      {delivery.deliveredAt ? (
        <span class="muted">{` · ${formatDate(locale, delivery.deliveredAt)}`}</span>
      ) : null}
      {delivery.lastResponse ? (
        <>
          <br />
          <small class="muted">{t("delivery.answer", { answer: delivery.lastResponse })}</small>
        </>
      ) : null}
    </span>
  );
}

function StanceList({ ctx, stances, ids }: { ctx: PageContext; stances: ConsoleStance[]; ids: number[] }) {
  const held = stances.filter((s) => ids.includes(s.id));
  if (held.length === 0) return null;
  return <p class="muted">{held.map((s) => s.translations[ctx.locale] || s.label).join(" · ")}</p>;
}

export type ManualDeliveryValues = { method: string; deliveredOn: string; deliveryNote: string };
export type ResponseValues = { receivedOn: string; summary: string; isPublic: boolean };

export type RecipientPageProps = {
  ctx: PageContext;
  user: SessionUser;
  data: ConsoleRecipients;
  recipient: ConsoleRecipient;
  /** Today's date (YYYY-MM-DD), the default for the date fields. */
  today: string;
  notice?: string | undefined;
  problem?: string | undefined;
  edit?: FormState<RecipientValues> | undefined;
  manual?: FormState<ManualDeliveryValues> | undefined;
  response?: FormState<ResponseValues> | undefined;
};

export function RecipientPage({
  ctx,
  user,
  data,
  recipient: r,
  today,
  notice,
  problem,
  edit,
  manual,
  response,
}: RecipientPageProps) {
  const { t, locale } = ctx;
  const base = `/admin/letters/${data.letter.id}/recipients/${r.id}`;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={r.name}>
      <p class="muted">
        <a href={`/admin/letters/${data.letter.id}/recipients`}>
          {t("recipients.title", { title: data.letter.title })}
        </a>
      </p>
      <h1>{r.name}</h1>
      <Notice message={notice} />
      <Problem message={problem} />

      <h2>{t("delivery.history")}</h2>
      {r.deliveries.length === 0 ? (
        <p class="muted">{t("delivery.state.none")}</p>
      ) : (
        <ul>
          {r.deliveries.map((d) => (
            <li key={d.id}>
              <DeliveryState ctx={ctx} delivery={d} />
              {d.versionNumber !== null ? (
                <span class="muted">{` · ${t("delivery.version", { number: formatNumber(locale, d.versionNumber) })}`}</span>
              ) : null}
              {d.pdfSha256 ? (
                <small class="muted">{` · PDF SHA-256 ${d.pdfSha256.slice(0, 16)}…`}</small>
              ) : null}
              {d.note ? <p class="muted">{d.note}</p> : null}
            </li>
          ))}
        </ul>
      )}

      <h2 id="manual">{t("delivery.manualTitle")}</h2>
      <PostForm ctx={ctx} action={`${base}/deliveries`}>
        <Problem message={manual?.problem} />
        <Select
          name="method"
          label={t("delivery.method")}
          value={manual?.values.method ?? "hand"}
          errors={manual?.errors}
          options={(["hand", "post", "embassy"] as const).map((m) => ({
            value: m,
            label: t(`delivery.method.${m}`),
          }))}
        />
        <Input
          name="deliveredOn"
          type="date"
          label={t("delivery.date")}
          value={manual?.values.deliveredOn ?? today}
          errors={manual?.errors}
          required
        />
        <TextArea
          name="deliveryNote"
          label={t("delivery.note")}
          value={manual?.values.deliveryNote ?? ""}
          errors={manual?.errors}
          rows={2}
        />
        <div class="actions">
          <button type="submit" class="secondary">
            {t("delivery.record")}
          </button>
        </div>
      </PostForm>

      <h2 id="responses">{t("responses.list")}</h2>
      {r.responses.length === 0 ? (
        <p class="muted">{t("tracker.noResponse")}</p>
      ) : (
        <ul>
          {r.responses.map((x) => (
            <li key={x.id}>
              <strong>{formatDate(locale, x.receivedAt)}</strong>{" "}
              <span class="muted">{x.isPublic ? t("responses.publicLabel") : t("responses.private")}</span>
              {x.hasDocument ? <span class="muted">{` · ${t("responses.hasDocument")}`}</span> : null}
              <p>{x.summary}</p>
            </li>
          ))}
        </ul>
      )}
      <h3>{t("responses.title")}</h3>
      <form method="post" action={`${base}/responses`} class="stack" enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <Problem message={response?.problem} />
        <Input
          name="receivedOn"
          type="date"
          label={t("responses.receivedOn")}
          value={response?.values.receivedOn ?? today}
          errors={response?.errors}
          required
        />
        <TextArea
          name="summary"
          label={t("responses.summary")}
          value={response?.values.summary ?? ""}
          errors={response?.errors}
          rows={3}
        />
        <div class="field">
          <label for="field-document">{t("responses.document")}</label>
          {response?.errors?.document ? (
            <span id="field-document-error" class="field-error">
              {response.errors.document}
            </span>
          ) : null}
          <input
            id="field-document"
            type="file"
            name="document"
            accept="application/pdf,image/png,image/jpeg,image/webp"
            aria-describedby={response?.errors?.document ? "field-document-error" : undefined}
          />
        </div>
        <Flag name="isPublic" label={t("responses.public")} checked={response?.values.isPublic ?? false} />
        <div class="actions">
          <button type="submit">{t("responses.record")}</button>
        </div>
      </form>

      <h2 id="stances">{t("stances.tag")}</h2>
      {data.stances.length === 0 ? (
        <p class="muted">
          {t("stances.none")}{" "}
          <a href={`/admin/campaigns/${data.letter.campaignSlug}/stances`}>{t("stances.define")}</a>
        </p>
      ) : (
        <PostForm ctx={ctx} action={`${base}/stances`}>
          <fieldset class="choices">
            <legend>{t("stances.tag")}</legend>
            {data.stances.map((s) => (
              <label key={s.id} class="choice">
                <input
                  type="checkbox"
                  name="stance"
                  value={String(s.id)}
                  checked={r.stanceIds.includes(s.id)}
                />{" "}
                {s.translations[locale] || s.label}
              </label>
            ))}
          </fieldset>
          <div class="actions">
            <button type="submit" class="secondary">
              {t("stances.tagSubmit")}
            </button>
          </div>
        </PostForm>
      )}

      <h2 id="edit">{t("recipients.editTitle")}</h2>
      <PostForm ctx={ctx} action={base}>
        <Problem message={edit?.problem} />
        <RecipientFields ctx={ctx} values={edit?.values ?? recipientValuesOf(r)} errors={edit?.errors} />
        <div class="actions">
          <button type="submit">{t("common.save")}</button>
        </div>
      </PostForm>
      <PostForm ctx={ctx} action={`${base}/remove`} class="inline">
        <button type="submit" class="secondary">
          {t("recipients.remove")}
        </button>
      </PostForm>
    </ConsoleLayout>
  );
}
