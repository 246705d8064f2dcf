import type { ComponentChildren } from "preact";
import type { SignForm, SignFormField } from "../../../domain/sign-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { FieldNotes } from "../components/field-notes.tsx";
import { Field, Select } from "../components/fields.tsx";
import type { PageContext } from "../layout.tsx";

/*
 * The sign form's fields, on the field kit: what the sign form adds is "optional" beside a field it may
 * leave empty, the sealing script's data attributes, and the remark on a field the Zawgyi check rewrote.
 */

type TextFieldProps = {
  ctx: PageContext;
  name: SignFormField;
  label: string;
  hint?: string;
  values: SignForm;
  errors: FieldErrors;
  required: boolean;
  max: number;
  type?: "text" | "email" | "date";
  seal?: "identity" | "contact";
  autocomplete?: string;
  inputMode?: "url" | "email" | "text" | "numeric";
  converted?: SignFormField[];
};

export function TextField({
  ctx,
  name,
  values,
  required,
  max,
  seal,
  converted = [],
  ...rest
}: TextFieldProps) {
  return (
    <Field
      {...rest}
      name={name}
      value={values[name] ?? ""}
      maxLength={max}
      optional={required ? undefined : ctx.t("sign.optional")}
      data={{ "data-seal": seal, "data-required": required ? "" : undefined }}
      // Said beside the field when the Zawgyi check rewrote it, so the person looks before sending.
      remark={
        converted.includes(name)
          ? { suffix: "converted", class: "converted", text: ctx.t("sign.convertedField") }
          : undefined
      }
    />
  );
}

export function SelectField({
  ctx,
  name,
  values,
  required,
  ...rest
}: {
  ctx: PageContext;
  name: SignFormField;
  label: string;
  values: SignForm;
  errors: FieldErrors;
  required: boolean;
  options: { value: string; label: string }[];
}) {
  return (
    <Select
      {...rest}
      name={name}
      value={values[name]}
      choose={ctx.t("sign.choose")}
      optional={required ? undefined : ctx.t("sign.optional")}
      // Category and country travel in the sealed identity of an undisclosed endorsement too.
      data={{ "data-seal": "identity", "data-required": required ? "" : undefined }}
    />
  );
}

export function Choice({
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
  /** `more`: fields that belong to one option, shown under it (the threshold's number and date). */
  options: { value: string; label: string; hint?: string; more?: ComponentChildren }[];
}) {
  return (
    <fieldset
      class={error ? "field choice invalid" : "field choice"}
      aria-describedby={error ? `field-${name}-error` : undefined}
    >
      <legend>{legend}</legend>
      <FieldNotes id={`field-${name}`} error={error} />
      {options.map((o, i) => [
        <label class="check">
          <input
            type="radio"
            id={i === 0 ? `field-${name}` : `field-${name}-${o.value}`}
            name={name}
            value={o.value}
            checked={value === o.value}
            aria-invalid={error ? "true" : undefined}
          />{" "}
          <strong>{o.label}</strong>
          {o.hint ? <span class="choice-hint">{o.hint}</span> : null}
        </label>,
        o.more ? <div class="choice-more">{o.more}</div> : null,
      ])}
    </fieldset>
  );
}

/**
 * A threshold endorsement's number and optional date, under the threshold choice (sign form and manage
 * page). Shown whatever is chosen, so the form works without JavaScript; they are read only with that choice.
 */
export function ThresholdFields({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: { threshold?: string | undefined; disclose_on?: string | undefined };
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <>
      <TextField
        ctx={ctx}
        name="threshold"
        label={t("sign.thresholdCount")}
        values={values}
        errors={errors}
        required={false}
        max={6}
        inputMode="numeric"
      />
      <TextField
        ctx={ctx}
        name="disclose_on"
        type="date"
        label={t("sign.discloseOn")}
        hint={t("sign.discloseOnHint")}
        values={values}
        errors={errors}
        required={false}
        max={10}
      />
    </>
  );
}
