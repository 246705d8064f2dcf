import type { ComponentChildren } from "preact";
import type { SignForm, SignFormField } from "../../../commands/sign-letter.ts";
import { countryOptions } from "../../../domain/countries.ts";
import type { OptionalSignField } from "../../../domain/letter-settings.ts";
import { FIELD_LIMITS, kindsAccepted, visibilitiesAccepted } from "../../../domain/sign-on-rules.ts";
import type { SignOnLetter } from "../../../queries/get-sign-on-letter.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { CsrfField, Layout, type PageContext } from "../layout.tsx";

/*
 * The sign form: plain HTML that works without JavaScript on a slow phone. With JavaScript, seal-form.js
 * (a module script: browsers too old for modules simply let the server seal) seals the identity and contact
 * fields (marked data-seal) in the browser before the form is sent; the campaign's public key rides on the
 * form as a data attribute.
 */

export type SignPageProps = {
  ctx: PageContext;
  letter: SignOnLetter;
  /** Where the form posts (carries the private sign-on key while the letter is collecting privately). */
  action: string;
  stamp: string;
  values?: SignForm;
  errors?: FieldErrors;
  problem?: string | undefined;
  /** Fields whose Zawgyi text was converted to Unicode: the signer checks them before sending again. */
  converted?: SignFormField[];
};

export const signHead = <link rel="stylesheet" href="/assets/sign/sign.css" />;

export function SignPage({
  ctx,
  letter,
  action,
  stamp,
  values = {},
  errors = {},
  problem,
  converted = [],
}: SignPageProps) {
  const { t } = ctx;
  const kinds = kindsAccepted(letter.signers);
  const visibilities = visibilitiesAccepted(letter);
  const required = (field: OptionalSignField) => letter.requiredFields.includes(field);
  const nameLabel =
    kinds.length === 2
      ? t("sign.nameEither")
      : kinds[0] === "individual"
        ? t("sign.namePerson")
        : t("sign.nameOrganisation");
  const scripts = letter.publicKey ? <script type="module" src="/assets/sign/seal-form.js" /> : null;
  return (
    <Layout ctx={ctx} title={t("sign.title", { title: letter.title })} head={[signHead, scripts]}>
      <h1>{t("sign.title", { title: letter.title })}</h1>
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
      {problem ? (
        <div class="error-summary" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      {converted.length > 0 ? (
        <div class="notice" role="status">
          <p>{t("sign.convertedNotice")}</p>
        </div>
      ) : null}
      <form
        method="post"
        action={action}
        class="stack sign-form"
        novalidate
        data-seal-key={letter.publicKey ?? undefined}
        // What the sealing script says, in the page's language, about a form it will not send yet.
        data-msg-summary={t("error.validation")}
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
          ctx={ctx}
          name="name"
          label={nameLabel}
          values={values}
          errors={errors}
          required
          seal="identity"
          max={FIELD_LIMITS.name}
          autocomplete="organization"
          converted={converted}
        />
        <TextField
          ctx={ctx}
          name="name_alt"
          label={t("sign.nameAlt")}
          hint={t("sign.nameAltHint")}
          values={values}
          errors={errors}
          required={required("name_alt")}
          seal="identity"
          max={FIELD_LIMITS.name_alt}
          converted={converted}
        />
        {kinds.includes("individual") ? (
          <TextField
            ctx={ctx}
            name="affiliation"
            label={t("sign.affiliation")}
            values={values}
            errors={errors}
            required={required("affiliation")}
            seal="identity"
            max={FIELD_LIMITS.affiliation}
            converted={converted}
          />
        ) : null}
        {letter.categories.length > 0 ? (
          <SelectField
            ctx={ctx}
            name="category"
            label={t("sign.category")}
            values={values}
            errors={errors}
            required={required("category")}
            options={letter.categories.map((c) => ({ value: c, label: c }))}
          />
        ) : null}
        <SelectField
          ctx={ctx}
          name="country"
          label={t("sign.country")}
          values={values}
          errors={errors}
          required={required("country")}
          options={countryOptions(ctx.locale).map((c) => ({ value: c.code, label: c.name }))}
        />
        <TextField
          ctx={ctx}
          name="website"
          label={t("sign.website")}
          values={values}
          errors={errors}
          required={required("website")}
          seal="identity"
          max={FIELD_LIMITS.website}
          autocomplete="url"
          inputMode="url"
        />
        <TextField
          ctx={ctx}
          name="contact_person"
          label={t("sign.contactPerson")}
          hint={t("sign.contactHint")}
          values={values}
          errors={errors}
          required={required("contact_person")}
          seal="contact"
          max={FIELD_LIMITS.contact_person}
          autocomplete="name"
          converted={converted}
        />
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          label={t("sign.email")}
          hint={t("sign.emailHint")}
          values={values}
          errors={errors}
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
            ]}
          />
        ) : (
          <p class="muted">{t("sign.listedOnly")}</p>
        )}

        <CheckField
          name="updates"
          label={t("sign.updates")}
          hint={t("sign.updatesHint")}
          checked={values.updates === "yes"}
          error={errors.updates}
        />
        <CheckField
          name="consent"
          label={t("sign.consent")}
          checked={values.consent === "yes"}
          error={errors.consent}
        />
        <div>
          <button type="submit">{converted.length > 0 ? t("sign.submitChecked") : t("sign.submit")}</button>
        </div>
      </form>
    </Layout>
  );
}

/** A yes/no question of the form (a checkbox sending "yes"), with its error above and its hint below. */
function CheckField({
  name,
  label,
  hint,
  checked,
  error,
}: {
  name: string;
  label: string;
  hint?: string;
  checked: boolean;
  error: string | undefined;
}) {
  const describedBy = [hint ? `field-${name}-hint` : "", error ? `field-${name}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      {error ? (
        <span id={`field-${name}-error`} class="field-error">
          {error}
        </span>
      ) : null}
      <label class="check">
        <input
          type="checkbox"
          name={name}
          value="yes"
          checked={checked}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy || undefined}
        />{" "}
        {label}
      </label>
      {hint ? (
        <span id={`field-${name}-hint`} class="muted">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

type TextFieldProps = {
  ctx: PageContext;
  name: SignFormField;
  label: string;
  hint?: string;
  values: SignForm;
  errors: FieldErrors;
  required: boolean;
  max: number;
  type?: "text" | "email";
  seal?: "identity" | "contact";
  autocomplete?: string;
  inputMode?: "url" | "email" | "text";
  converted?: SignFormField[];
};

function TextField({
  ctx,
  name,
  label,
  hint,
  values,
  errors,
  required,
  max,
  type = "text",
  seal,
  autocomplete,
  inputMode,
  converted = [],
}: TextFieldProps) {
  const id = `field-${name}`;
  const error = errors[name];
  const wasConverted = converted.includes(name);
  const notes = [hint ? `${id}-hint` : "", wasConverted ? `${id}-converted` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? null : <span class="muted"> {ctx.t("sign.optional")}</span>}
      </label>
      {hint ? (
        <span id={`${id}-hint`} class="muted">
          {hint}
        </span>
      ) : null}
      {wasConverted ? (
        <span id={`${id}-converted`} class="converted">
          {ctx.t("sign.convertedField")}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} class="field-error">
          {error}
        </span>
      ) : null}
      <input
        id={id}
        type={type}
        name={name}
        value={values[name] ?? ""}
        maxLength={max}
        autocomplete={autocomplete}
        inputMode={inputMode}
        data-seal={seal}
        data-required={required ? "" : undefined}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={notes || undefined}
      />
    </div>
  );
}

function SelectField({
  ctx,
  name,
  label,
  values,
  errors,
  required,
  options,
}: {
  ctx: PageContext;
  name: SignFormField;
  label: string;
  values: SignForm;
  errors: FieldErrors;
  required: boolean;
  options: { value: string; label: string }[];
}) {
  const id = `field-${name}`;
  const error = errors[name];
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? null : <span class="muted"> {ctx.t("sign.optional")}</span>}
      </label>
      {error ? (
        <span id={`${id}-error`} class="field-error">
          {error}
        </span>
      ) : null}
      {/* Category and country travel in the sealed identity of an undisclosed endorsement too. */}
      <select
        id={id}
        name={name}
        data-seal="identity"
        data-required={required ? "" : undefined}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">{ctx.t("sign.choose")}</option>
        {options.map((o) => (
          <option value={o.value} selected={values[name] === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Choice({
  name,
  legend,
  value,
  error,
  options,
}: {
  name: SignFormField;
  legend: string;
  value: string | undefined;
  error: string | undefined;
  options: { value: string; label: string; hint?: string }[];
}) {
  return (
    <fieldset class="field choice" aria-describedby={error ? `field-${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <span id={`field-${name}-error`} class="field-error">
          {error}
        </span>
      ) : null}
      {options.map((o) => (
        <label class="check">
          <input type="radio" name={name} value={o.value} checked={value === o.value} />{" "}
          <strong>{o.label}</strong>
          {o.hint ? <span class="choice-hint">{o.hint}</span> : null}
        </label>
      ))}
    </fieldset>
  );
}

/** The page after a successful submission: where the confirmation link went, and what happens next. */
export function SignSentPage({ ctx, title, slug }: { ctx: PageContext; title: string; slug: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("sign.sentTitle")} head={signHead}>
      <h1>{t("sign.sentTitle")}</h1>
      <p>{t("sign.sentBody", { title, days: 7 })}</p>
      <p class="muted">{t("sign.sentSpam")}</p>
      <p>
        <a href={`/letters/${slug}`}>{t("sign.readLetter")}</a>
      </p>
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
