import type { ListingCondition } from "../../../domain/threshold-disclosure.ts";
import { formatDate, formatNumber } from "../../../i18n/index.ts";
import type { SignatureReceipt } from "../../../queries/get-signature-receipt.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { CsrfField, type PageContext } from "../layout.tsx";
import { Choice, ThresholdFields } from "./sign-fields.tsx";

/*
 * A threshold endorsement on the receipt and manage pages (domain/threshold-disclosure.ts): the signer's
 * condition, where it stands, and on the manage page the form that changes it until the name is listed.
 */

/** The condition in words, and waiting / met / listed since a day. */
export function ListingStatus({ ctx, receipt }: { ctx: PageContext; receipt: SignatureReceipt }) {
  const { t, locale } = ctx;
  const listing = receipt.listing;
  if (!listing) return null;
  const condition = conditionText(ctx, listing.condition);
  const state = listing.state;
  return (
    <dl class="receipt listing-condition">
      <dt>{t("threshold.receiptCondition")}</dt>
      <dd>
        {condition}
        {state ? (
          <>
            <br />
            <strong>
              {state.state === "listed"
                ? t("threshold.stateListed", { day: formatDate(locale, state.since) })
                : state.state === "met"
                  ? t("threshold.stateMet")
                  : t("threshold.stateWaiting", { listed: formatNumber(locale, listing.listedOthers) })}
            </strong>
          </>
        ) : null}
      </dd>
    </dl>
  );
}

/** A listing condition in words, in the page's language. */
export function conditionText({ t, locale }: PageContext, condition: ListingCondition): string {
  const threshold = formatNumber(locale, condition.threshold);
  if (condition.threshold === 0) return t("threshold.conditionNow");
  return condition.discloseOn
    ? t("threshold.conditionWithDay", { threshold, day: formatDate(locale, condition.discloseOn) })
    : t("threshold.condition", { threshold });
}

export type ConditionValues = { visibility?: string; threshold?: string; disclose_on?: string };

/**
 * Set, change or drop the condition, for an undisclosed endorsement the coalition has not listed yet. Works
 * without JavaScript: both choices and both fields are always there.
 */
export function ListingConditionForm({
  ctx,
  receipt,
  action,
  values,
  errors = {},
}: {
  ctx: PageContext;
  receipt: SignatureReceipt;
  action: string;
  values?: ConditionValues | undefined;
  errors?: FieldErrors | undefined;
}) {
  const { t } = ctx;
  const live =
    receipt.state === "unconfirmed" || receipt.state === "confirmed" || receipt.state === "approved";
  if (receipt.visibility !== "undisclosed" || !live) return null;
  const current = receipt.listing?.condition;
  const typed = {
    threshold: values?.threshold ?? (current?.threshold ? String(current.threshold) : ""),
    disclose_on: values?.disclose_on ?? current?.discloseOn ?? "",
  };
  return (
    <form method="post" action={`${action}/condition`} class="stack" novalidate>
      <CsrfField ctx={ctx} />
      <h2>{t("threshold.changeTitle")}</h2>
      <p>{t("threshold.changeHint")}</p>
      <Choice
        name="visibility"
        legend={t("sign.visibility")}
        value={
          values?.visibility ??
          (current === undefined ? "undisclosed" : current.threshold === 0 ? "listed" : "threshold")
        }
        error={errors.visibility}
        options={[
          {
            value: "threshold",
            label: t("sign.threshold"),
            more: <ThresholdFields ctx={ctx} values={typed} errors={errors} />,
          },
          { value: "undisclosed", label: t("threshold.stayUndisclosed") },
          { value: "listed", label: t("threshold.listNow"), hint: t("threshold.listNowHint") },
        ]}
      />
      <div>
        <button type="submit">{t("threshold.save")}</button>
      </div>
    </form>
  );
}
