import { formatDate } from "../../../i18n/index.ts";
import type { ConsoleDelivery } from "../../../queries/list-letter-recipients.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { RecipientValues } from "../../forms/recipient-form.ts";
import { Field, formFields, TextArea } from "../components/fields.tsx";
import type { PageContext } from "../layout.tsx";

/* What the recipients list and one recipient's page both show: the recipient's fields, a delivery's state. */

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
  const field = formFields(t, values, errors);
  return (
    <>
      <Field {...field("name", "recipients.name")} required />
      <Field {...field("office", "recipients.office")} />
      <Field {...field("country", "recipients.country")} />
      <Field {...field("addresseeGroup", "recipients.group")} hint={t("recipients.groupHint")} />
      <TextArea {...field("emails", "recipients.emails")} hint={t("recipients.emailsHint")} rows={2} />
      <TextArea {...field("postalAddress", "recipients.postal")} rows={3} />
      <TextArea {...field("notes", "recipients.notes")} rows={2} />
    </>
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
