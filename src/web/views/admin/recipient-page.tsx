import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type { ConsoleRecipient, ConsoleRecipients } from "../../../queries/list-letter-recipients.ts";
import { type RecipientValues, recipientValuesOf } from "../../forms/recipient-form.ts";
import type { SessionUser } from "../../session.ts";
import { Check, Field, formFields, Select, TextArea } from "../components/fields.tsx";
import { type FormState, Notice, PostForm, Problem } from "../components/form.tsx";
import { CsrfField, type PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { DeliveryState, RecipientFields } from "./recipient-fields.tsx";

/*
 * One recipient of a letter: its deliveries, a delivery made by hand, responses, stances, the edit form and
 * removal. Works without JavaScript; forms come back with what was typed when refused.
 */

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
  // A form not sent yet starts from today and a delivery by hand.
  const manualField = formFields(
    t,
    manual?.values ?? { method: "hand", deliveredOn: today, deliveryNote: "" },
    manual?.errors,
  );
  const responseField = formFields(
    t,
    response?.values ?? { receivedOn: today, summary: "" },
    response?.errors,
  );
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
          {...manualField("method", "delivery.method")}
          options={(["hand", "post", "embassy"] as const).map((m) => ({
            value: m,
            label: t(`delivery.method.${m}`),
          }))}
        />
        <Field {...manualField("deliveredOn", "delivery.date")} type="date" required />
        <TextArea {...manualField("deliveryNote", "delivery.note")} rows={2} />
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
        <Field {...responseField("receivedOn", "responses.receivedOn")} type="date" required />
        <TextArea {...responseField("summary", "responses.summary")} rows={3} />
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
        <Check name="isPublic" label={t("responses.public")} checked={response?.values.isPublic ?? false} />
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
