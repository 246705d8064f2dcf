import type { ComponentChildren } from "preact";
import { countryOptions } from "../../../domain/countries.ts";
import { shownCategory } from "../../../domain/label-translations.ts";
import type { OptionalSignField } from "../../../domain/letter-settings.ts";
import type { SignForm, SignFormField } from "../../../domain/sign-form.ts";
import { FIELD_LIMITS, kindsAccepted, visibilityChoices } from "../../../domain/sign-on-rules.ts";
import { DEFAULT_THRESHOLD } from "../../../domain/threshold-disclosure.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import type { SignOnLetter } from "../../../queries/get-sign-on-letter.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { assetUrl } from "../../http/static-assets.ts";
import { Check } from "../components/fields.tsx";
import { ErrorSummary, errorTitle } from "../error-summary.tsx";
import { CsrfField, Layout, type PageContext } from "../layout.tsx";
import { SignLetterText } from "./letter-text.tsx";
import { Choice, SelectField, TextField, ThresholdFields } from "./sign-fields.tsx";

/*
 * The sign form: plain HTML that works without JavaScript on a slow phone. With JavaScript, seal-form.js
 * (a module script: browsers too old for modules simply let the server seal) seals the identity and contact
 * fields (marked data-seal) in the browser before the form is sent; the campaign's public key rides on the
 * form as a data attribute.
 */

export type SignPageProps = {
  ctx: PageContext;
  letter: SignOnLetter;
  /** The full text of the version endorsed, shown above the form. */
  text?: PublicLetter | undefined;
  /** Where the form posts (carries the private sign-on key while the letter is collecting privately). */
  action: string;
  stamp: string;
  values?: SignForm;
  errors?: FieldErrors;
  problem?: string | undefined;
  /** Fields whose Zawgyi text was converted to Unicode: the signer checks them before sending again. */
  converted?: SignFormField[];
};

export const signHead = <link rel="stylesheet" href={assetUrl("sign/sign.css")} />;

export function SignPage({
  ctx,
  letter,
  text,
  action,
  stamp,
  values = {},
  errors = {},
  problem,
  converted = [],
}: SignPageProps) {
  const { t } = ctx;
  const kinds = kindsAccepted(letter.signers);
  const visibilities = visibilityChoices(letter);
  const required = (field: OptionalSignField) => letter.requiredFields.includes(field);
  const nameLabel =
    kinds.length === 2
      ? t("sign.nameEither")
      : kinds[0] === "individual"
        ? t("sign.namePerson")
        : t("sign.nameOrganisation");
  const scripts = letter.publicKey ? <script type="module" src={assetUrl("sign/seal-form.js")} /> : null;
  const title = t("sign.title", { title: letter.title });
  /** What every field of the form reads: what was typed and the errors. */
  const form = { ctx, values, errors };
  const failed = problem !== undefined || Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={errorTitle(t, title, failed)} head={[signHead, scripts]}>
      <ErrorSummary t={t} problem={problem} errors={errors} order={SUMMARY_ORDER} />
      <h1>{title}</h1>
      {letter.subject ? <p class="muted">{letter.subject}</p> : null}
      {letter.state === "published" ? (
        <p>
          <a href={`/letters/${letter.slug}`}>{t("sign.readLetter")}</a>
        </p>
      ) : (
        <p class="notice">{t("sign.privateNotice")}</p>
      )}
      {letter.keyFingerprint ? (
        <p class="key-fingerprint muted">
          {t("key.fingerprintNotice", { fingerprint: letter.keyFingerprint })}
        </p>
      ) : null}
      {text ? <SignLetterText ctx={ctx} letter={text} /> : null}
      {converted.length > 0 ? (
        <div class="notice" role="status">
          <p>{t("sign.convertedNotice")}</p>
        </div>
      ) : null}
      <form
        id="sign-form"
        method="post"
        action={action}
        class="stack sign-form"
        novalidate
        data-seal-key={letter.publicKey ?? undefined}
        // What the sealing script says, in the page's language, about a form it will not send yet.
        data-msg-summary={t("error.summaryTitle")}
        data-msg-title={`${errorTitle(t, title, true)} · ${t("app.name")}`}
        data-msg-required={t("field.required")}
        data-msg-email={t("field.email")}
        data-msg-consent={t("sign.consentRequired")}
        data-msg-choose-kind={t("sign.chooseKind")}
        data-msg-choose-visibility={t("sign.chooseVisibility")}
        data-msg-updates={t("sign.updatesListedOnly")}
        data-msg-send-failed={t("sign.sendFailed")}
      >
        <CsrfField ctx={ctx} />
        <input type="hidden" name="ts" value={stamp} />
        {/* Hidden from people by sign.css; programs that fill every field fill this one too. */}
        <div class="hp" aria-hidden="true">
          <label for="field-reference_code">{t("sign.honeypotLabel")}</label>
          <input
            id="field-reference_code"
            type="text"
            name="reference_code"
            value=""
            tabindex={-1}
            autocomplete="off"
          />
        </div>
        {values.sealed_identity ? (
          <input type="hidden" name="sealed_identity" value={values.sealed_identity} />
        ) : null}
        {values.sealed_identity && values.identity_salt ? (
          <input type="hidden" name="identity_salt" value={values.identity_salt} />
        ) : null}
        {values.sealed_contact ? (
          <input type="hidden" name="sealed_contact" value={values.sealed_contact} />
        ) : null}

        {kinds.length > 1 ? (
          <Choice
            name="kind"
            legend={t("sign.kind")}
            value={values.kind}
            error={errors.kind}
            options={kinds.map((k) => ({
              value: k,
              label: t(k === "organisation" ? "sign.kindOrganisation" : "sign.kindIndividual"),
            }))}
          />
        ) : null}

        <TextField
          {...form}
          name="name"
          label={nameLabel}
          required
          seal="identity"
          max={FIELD_LIMITS.name}
          autocomplete="organization"
          converted={converted}
        />
        <TextField
          {...form}
          name="name_alt"
          label={t("sign.nameAlt")}
          hint={t("sign.nameAltHint")}
          required={required("name_alt")}
          seal="identity"
          max={FIELD_LIMITS.name_alt}
          converted={converted}
        />
        {kinds.includes("individual") ? (
          <TextField
            {...form}
            name="affiliation"
            label={t("sign.affiliation")}
            required={required("affiliation")}
            seal="identity"
            max={FIELD_LIMITS.affiliation}
            converted={converted}
          />
        ) : null}
        {letter.categories.length > 0 ? (
          <SelectField
            {...form}
            name="category"
            label={t("sign.category")}
            required={required("category")}
            options={letter.categories.map((c) => ({ value: c, label: shownCategory(letter, c) }))}
          />
        ) : null}
        <SelectField
          {...form}
          name="country"
          label={t("sign.country")}
          required={required("country")}
          options={countryOptions(ctx.locale).map((c) => ({ value: c.code, label: c.name }))}
        />
        <TextField
          {...form}
          name="website"
          label={t("sign.website")}
          required={required("website")}
          seal="identity"
          max={FIELD_LIMITS.website}
          autocomplete="url"
          inputMode="url"
        />
        <TextField
          {...form}
          name="contact_person"
          label={t("sign.contactPerson")}
          hint={t("sign.contactHint")}
          required={required("contact_person")}
          seal="contact"
          max={FIELD_LIMITS.contact_person}
          autocomplete="name"
          converted={converted}
        />
        <TextField
          {...form}
          name="email"
          type="email"
          label={t("sign.email")}
          hint={t("sign.emailHint")}
          required
          max={FIELD_LIMITS.email}
          autocomplete="email"
        />

        {visibilities.length > 1 ? (
          <Choice
            name="visibility"
            legend={t("sign.visibility")}
            value={values.visibility}
            error={errors.visibility}
            options={[
              { value: "listed", label: t("sign.listed"), hint: t("sign.listedHint") },
              { value: "undisclosed", label: t("sign.undisclosed"), hint: t("sign.undisclosedHint") },
              {
                value: "threshold",
                label: t("sign.threshold"),
                hint: t("sign.thresholdHint"),
                more: (
                  <ThresholdFields
                    ctx={ctx}
                    values={{ ...values, threshold: values.threshold ?? String(DEFAULT_THRESHOLD) }}
                    errors={errors}
                  />
                ),
              },
            ]}
          />
        ) : (
          <p class="muted">{t("sign.listedOnly")}</p>
        )}

        <Check
          name="updates"
          label={t("sign.updates")}
          hint={t("sign.updatesHint")}
          checked={values.updates === "yes"}
          value="yes"
          class="check"
          errors={errors}
        />
        <Check
          name="consent"
          label={t("sign.consent")}
          checked={values.consent === "yes"}
          value="yes"
          class="check"
          errors={errors}
        />
        <div>
          <button type="submit">{converted.length > 0 ? t("sign.submitChecked") : t("sign.submit")}</button>
        </div>
      </form>
    </Layout>
  );
}

/** The fields in the order the form shows them: the error summary lists its links in the same order. */
const SUMMARY_ORDER: readonly SignFormField[] = [
  "kind",
  "name",
  "name_alt",
  "affiliation",
  "category",
  "country",
  "website",
  "contact_person",
  "email",
  "visibility",
  "threshold",
  "disclose_on",
  "updates",
  "consent",
  "sealed_identity",
  "identity_salt",
  "sealed_contact",
];

/**
 * The page after a successful submission: where the confirmation link went, and what happens next. A
 * letter not yet public has no page to go back to (its address answers 404 until publication).
 */
export function SignSentPage({
  ctx,
  title,
  slug,
  published,
}: {
  ctx: PageContext;
  title: string;
  slug: string;
  published: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.sentTitle")} head={signHead}>
      <h1>{t("sign.sentTitle")}</h1>
      <p>{t("sign.sentBody", { title, days: 7 })}</p>
      <p class="muted">{t("sign.sentSpam")}</p>
      {published ? (
        <p>
          <a href={`/letters/${slug}`}>{t("sign.readLetter")}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** Shown instead of the form when the letter takes no endorsements now. */
export function SignClosedPage({
  ctx,
  title,
  message,
  children,
}: {
  ctx: PageContext;
  title: string;
  message: string;
  children?: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.closedTitle")} head={signHead}>
      <h1>{t("sign.title", { title })}</h1>
      <div class="notice" role="status">
        <p>{message}</p>
      </div>
      {children}
    </Layout>
  );
}
