import type { SignatureState } from "../../../domain/signature-states.ts";
import { formatNumber, formatUtcHour } from "../../../i18n/index.ts";
import type { SignatureReceipt } from "../../../queries/get-signature-receipt.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { Field } from "../components/fields.tsx";
import { CsrfField, Layout, type PageContext } from "../layout.tsx";
import { type ConditionValues, ListingConditionForm, ListingStatus } from "./listing-condition.tsx";
import { signHead } from "./sign-page.tsx";

const STATE_MESSAGES = {
  unconfirmed: "sign.stateUnconfirmed",
  confirmed: "sign.stateConfirmed",
  approved: "sign.stateApproved",
  rejected: "sign.stateRejected",
  withdrawn: "sign.stateWithdrawn",
  merged: "sign.stateMerged",
} as const satisfies Record<SignatureState, string>;

/** What was recorded. For an undisclosed endorsement the server cannot read what was typed, so it says so. */
function Recorded({ ctx, receipt }: { ctx: PageContext; receipt: SignatureReceipt }) {
  const { t } = ctx;
  return (
    <dl class="receipt">
      <dt>{t("sign.receiptCode")}</dt>
      <dd>
        <code>{receipt.receiptCode}</code>
      </dd>
      <dt>{t("sign.receiptLetter")}</dt>
      <dd>
        {receipt.letter.title}{" "}
        <span class="muted">
          {t("sign.receiptVersion", {
            number: receipt.letter.versionNumber,
            hash: receipt.letter.contentHash.slice(0, 12),
          })}
        </span>
      </dd>
      <dt>{t("sign.receiptRecorded")}</dt>
      <dd>
        {receipt.visibility === "listed"
          ? `${receipt.displayName ?? ""}${receipt.displayNameAlt ? ` (${receipt.displayNameAlt})` : ""}`
          : t("sign.recordedUndisclosed")}
      </dd>
      <dt>{t("sign.receiptState")}</dt>
      <dd>{t(STATE_MESSAGES[receipt.state])}</dd>
    </dl>
  );
}

/**
 * When a change reaches the public count. A pending change names its release; an undisclosed endorsement
 * that can still change is told the rule, so the signer knows their moment is never shown.
 */
function CountRelease({ ctx, receipt }: { ctx: PageContext; receipt: SignatureReceipt }) {
  const { t, locale } = ctx;
  if (receipt.countChangeAt) {
    return (
      <p class="notice" role="status">
        {t("sign.countChangePending", { when: formatUtcHour(locale, receipt.countChangeAt) })}
      </p>
    );
  }
  const live =
    receipt.state === "unconfirmed" || receipt.state === "confirmed" || receipt.state === "approved";
  if (receipt.visibility !== "undisclosed" || !live) return null;
  const hours = receipt.letter.releaseEveryHours;
  const rhythm =
    hours === 24
      ? t("sign.releaseDaily")
      : hours === 1
        ? t("sign.releaseHourly")
        : t("sign.releaseEvery", { hours: formatNumber(locale, hours) });
  return <p class="muted">{t("sign.countReleaseRule", { rhythm })}</p>;
}

/**
 * The endorsement's receipt in the public log, once it counts there: the C2SP tlog-proof to keep (or save as
 * a file from the manage link), a link to check it, and for an undisclosed endorsement its salt, which only
 * this private page can show.
 */
function LogReceipt({
  ctx,
  receipt,
  manageUrl,
}: {
  ctx: PageContext;
  receipt: SignatureReceipt;
  manageUrl: string;
}) {
  const { t } = ctx;
  if (!receipt.log) {
    return receipt.state === "confirmed" || receipt.state === "approved" ? (
      <p class="muted">{t("sign.logPending")}</p>
    ) : null;
  }
  return (
    <section class="log-receipt">
      <h2>{t("sign.logTitle")}</h2>
      <p>{t("sign.logIntro", { index: receipt.log.index })}</p>
      <pre class="tlog-proof">{receipt.log.proof}</pre>
      <p>
        <a href={`${manageUrl}/receipt`} download={`receipt-${receipt.receiptCode}.txt`}>
          {t("sign.logDownload")}
        </a>{" "}
        {/* No referrer: the check must not carry this private link along. */}·{" "}
        <a href={`/letters/${receipt.letter.slug}/verify`} rel="noreferrer">
          {t("sign.logVerify")}
        </a>
      </p>
      {receipt.salt ? (
        <dl class="receipt">
          <dt>{t("sign.logSalt")}</dt>
          <dd>
            <code>{receipt.salt}</code>
          </dd>
        </dl>
      ) : null}
      {receipt.salt ? <p class="muted">{t("sign.logSaltHint")}</p> : null}
    </section>
  );
}

/** What opening the confirmation link shows first: what will be confirmed, and the button that does it. */
export function ConfirmPage({
  ctx,
  receipt,
  action,
  problem,
}: {
  ctx: PageContext;
  receipt: SignatureReceipt;
  action: string;
  problem?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.confirmTitle")} head={signHead}>
      <h1>{t("sign.confirmTitle")}</h1>
      {problem ? (
        <div class="error-summary" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <p>{t("sign.confirmIntro", { title: receipt.letter.title })}</p>
      <Recorded ctx={ctx} receipt={receipt} />
      <form method="post" action={action} class="stack">
        <CsrfField ctx={ctx} />
        <div>
          <button type="submit">{t("sign.confirmSubmit")}</button>
        </div>
      </form>
      <p class="muted">{t("sign.confirmWhy")}</p>
    </Layout>
  );
}

/** The receipt after confirming: shown every time the confirmation link is opened. */
export function ReceiptPage({
  ctx,
  receipt,
  manageUrl,
}: {
  ctx: PageContext;
  receipt: SignatureReceipt;
  manageUrl: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.receiptTitle")} head={signHead}>
      <h1>{t("sign.receiptTitle")}</h1>
      <Recorded ctx={ctx} receipt={receipt} />
      <ListingStatus ctx={ctx} receipt={receipt} />
      <CountRelease ctx={ctx} receipt={receipt} />
      <LogReceipt ctx={ctx} receipt={receipt} manageUrl={manageUrl} />
      <h2>{t("sign.manageTitle")}</h2>
      <p>{t("sign.manageIntro")}</p>
      <p>
        <a href={manageUrl} class="manage-link">
          {manageUrl}
        </a>
      </p>
      <p class="muted">{t("sign.manageKeep")}</p>
    </Layout>
  );
}

export type ManagePageProps = {
  ctx: PageContext;
  receipt: SignatureReceipt;
  action: string;
  notice?: string | undefined;
  problem?: string | undefined;
  values?: { name?: string | undefined; name_alt?: string | undefined } & ConditionValues;
  errors?: FieldErrors;
  /** The first tap on "withdraw" asks once before anything changes. */
  confirmWithdraw?: boolean;
};

/** The private manage page: withdraw, and for a listed endorsement, correct the public name. */
export function ManagePage(props: ManagePageProps) {
  const { ctx, receipt, action } = props;
  if (props.confirmWithdraw) return <ConfirmWithdrawPage ctx={ctx} receipt={receipt} action={action} />;
  return <ManageForms {...props} />;
}

function ConfirmWithdrawPage({ ctx, receipt, action }: Pick<ManagePageProps, "ctx" | "receipt" | "action">) {
  const { t } = ctx;
  const question = t("sign.withdrawConfirmTitle", { title: receipt.letter.title });
  return (
    <Layout ctx={ctx} title={question} head={signHead}>
      <form method="post" action={`${action}/withdraw`} class="stack">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="confirm" value="yes" />
        <h1>{question}</h1>
        <p>{t("sign.withdrawIntro")}</p>
        <p>{t("sign.withdrawConfirmBody")}</p>
        <div class="actions">
          <button type="submit" class="danger">
            {t("sign.withdrawConfirmSubmit")}
          </button>{" "}
          <a href={action}>{t("sign.withdrawKeep")}</a>
        </div>
      </form>
    </Layout>
  );
}

function ManageForms({ ctx, receipt, action, notice, problem, values, errors = {} }: ManagePageProps) {
  const { t } = ctx;
  const live =
    receipt.state === "unconfirmed" || receipt.state === "confirmed" || receipt.state === "approved";
  const canCorrect =
    receipt.visibility === "listed" && (receipt.state === "confirmed" || receipt.state === "approved");
  return (
    <Layout ctx={ctx} title={t("sign.manageTitle")} head={signHead}>
      <h1>{t("sign.manageTitle")}</h1>
      {notice ? (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {problem ? (
        <div class="error-summary" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <Recorded ctx={ctx} receipt={receipt} />
      <ListingStatus ctx={ctx} receipt={receipt} />
      <CountRelease ctx={ctx} receipt={receipt} />
      <LogReceipt ctx={ctx} receipt={receipt} manageUrl={action} />
      <ListingConditionForm ctx={ctx} receipt={receipt} action={action} values={values} errors={errors} />
      {canCorrect ? (
        <form method="post" action={`${action}/name`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <h2>{t("sign.correctTitle")}</h2>
          <Field
            name="name"
            label={t("sign.nameEither")}
            value={values?.name ?? receipt.displayName ?? ""}
            errors={errors}
          />
          <Field
            name="name_alt"
            label={t("sign.nameAlt")}
            value={values?.name_alt ?? receipt.displayNameAlt ?? ""}
            errors={errors}
          />
          <div>
            <button type="submit">{t("sign.correctSubmit")}</button>
          </div>
        </form>
      ) : null}
      {live ? (
        <form method="post" action={`${action}/withdraw`} class="stack">
          <CsrfField ctx={ctx} />
          <h2>{t("sign.withdrawTitle")}</h2>
          <p>{t("sign.withdrawIntro")}</p>
          <div>
            <button type="submit" class="danger">
              {t("sign.withdrawSubmit")}
            </button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

/** An expired confirmation link: type the address again for a new one. */
export function ResendPage({
  ctx,
  action,
  email,
  error,
  problem,
  sent,
}: {
  ctx: PageContext;
  action: string;
  email?: string | undefined;
  error?: string | undefined;
  problem?: string | undefined;
  sent?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.expiredTitle")} head={signHead}>
      <h1>{t("sign.expiredTitle")}</h1>
      {sent ? (
        <div class="notice" role="status">
          <p>{t("sign.resent")}</p>
        </div>
      ) : (
        <>
          <p>{t("sign.expiredIntro")}</p>
          {problem ? (
            <div class="error-summary" role="alert">
              <p>{problem}</p>
            </div>
          ) : null}
          <form method="post" action={action} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <div class="field">
              <label for="field-email">{t("sign.email")}</label>
              {error ? (
                <span id="field-email-error" class="field-error">
                  {error}
                </span>
              ) : null}
              <input
                id="field-email"
                type="email"
                name="email"
                value={email ?? ""}
                autocomplete="email"
                aria-invalid={error ? "true" : undefined}
                aria-describedby={error ? "field-email-error" : undefined}
              />
            </div>
            <div>
              <button type="submit">{t("sign.resendSubmit")}</button>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}

/** Confirming a listed name someone else confirmed first. */
export function NameTakenPage({ ctx, slug }: { ctx: PageContext; slug: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.nameTakenTitle")} head={signHead}>
      <h1>{t("sign.nameTakenTitle")}</h1>
      <p>{t("sign.nameTaken")}</p>
      <p>
        <a href={`/letters/${slug}`}>{t("sign.readLetter")}</a>
      </p>
    </Layout>
  );
}
