import type { MessageKey, Translate } from "../../../i18n/index.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { describedBy, FieldNotes, type FieldNotesProps } from "./field-notes.tsx";

/*
 * The one field kit of every form (console, sign form, manage page): each control carries its label, its
 * hint and its error beside it (tied to it with aria-describedby, see field-notes.tsx) and exactly what was
 * typed, so a refused form comes back as the person left it. Password fields never get their value back.
 */

type Common = {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  hint?: string | undefined;
  /** Said after the label of a field that may stay empty (the sign form's "optional"). */
  optional?: string | undefined;
  /** Attributes for the page's scripts (the sign form's `data-seal`, `data-required`). */
  data?: Record<`data-${string}`, string | undefined>;
};

type Option = { value: string; label: string };

/** The names of a form's text values (a field shows a string; flags and lists have their own controls). */
type TextName<V> = { [K in keyof V]-?: V[K] extends string | undefined ? K : never }[keyof V] & string;

/**
 * What each field of one form takes from it: its name, its label in the page's language, what was typed under
 * that name and the form's errors. `const field = formFields(t, values, errors)`, then
 * `<Field {...field("slug", "letters.slug")} required />`.
 */
export function formFields<V extends object>(
  t: Translate,
  values: V | undefined,
  errors: FieldErrors | undefined,
) {
  return <K extends TextName<V>>(name: K, label: MessageKey) => ({
    name,
    label: t(label),
    value: values?.[name] as string | undefined,
    errors,
  });
}

/** A field's notes (field-notes.tsx): its id, its hint and its error in the form's errors. */
function notesOf({ name, hint, errors }: Pick<Common, "name" | "hint" | "errors">) {
  return { id: `field-${name}`, hint, error: errors?.[name] };
}

function Label({ id, label, optional }: { id: string; label: string; optional?: string | undefined }) {
  return (
    <label for={id}>
      {label}
      {optional ? <span class="muted"> {optional}</span> : null}
    </label>
  );
}

/** A one-line input. */
export function Field({
  name,
  label,
  errors,
  hint,
  optional,
  data,
  value,
  type = "text",
  required = false,
  autocomplete,
  inputMode,
  maxLength,
  lang,
  remark,
}: Common & {
  value?: string | undefined;
  type?: "text" | "email" | "password" | "date" | "datetime-local" | "url";
  required?: boolean;
  autocomplete?: string | undefined;
  inputMode?: "url" | "email" | "text" | "numeric" | undefined;
  maxLength?: number | undefined;
  lang?: string | undefined;
  /** A note between hint and error (the sign form's "converted from Zawgyi"). */
  remark?: FieldNotesProps["remark"];
}) {
  const notes = { ...notesOf({ name, hint, errors }), remark };
  return (
    <div class="field">
      <Label id={notes.id} label={label} optional={optional} />
      <FieldNotes {...notes} />
      <input
        id={notes.id}
        type={type}
        name={name}
        value={type === "password" ? undefined : value}
        required={required}
        autocomplete={autocomplete}
        inputMode={inputMode}
        maxLength={maxLength}
        lang={lang}
        {...data}
        {...describedBy(notes)}
      />
    </div>
  );
}

export function TextArea({
  name,
  label,
  errors,
  hint,
  value,
  rows = 4,
  lang,
  readOnly = false,
}: Common & { value?: string | undefined; rows?: number; lang?: string | undefined; readOnly?: boolean }) {
  // A read-only copy (the original beside a translation) has its own id and no name, so it is never posted.
  const notes = { id: readOnly ? `original-${name}` : `field-${name}`, hint, error: errors?.[name] };
  return (
    <div class="field">
      <Label id={notes.id} label={label} />
      <FieldNotes {...notes} />
      <textarea
        id={notes.id}
        name={readOnly ? undefined : name}
        rows={rows}
        lang={lang}
        readOnly={readOnly}
        {...describedBy(notes)}
      >
        {value ?? ""}
      </textarea>
    </div>
  );
}

export function Select(
  props: Common & {
    value: string | undefined;
    options: Option[];
    /** The label of an empty first option, for a choice that starts unmade. */
    choose?: string | undefined;
  },
) {
  const { value, options, choose } = props;
  const notes = notesOf(props);
  return (
    <div class="field">
      <Label id={notes.id} label={props.label} optional={props.optional} />
      <FieldNotes {...notes} />
      <select id={notes.id} name={props.name} {...props.data} {...describedBy(notes)}>
        {choose === undefined ? null : <option value="">{choose}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Radio buttons or checkboxes under one legend. */
export function Choices({
  name,
  label,
  errors,
  hint,
  type,
  selected,
  options,
}: Common & { type: "radio" | "checkbox"; selected: string[]; options: Option[] }) {
  return (
    <fieldset class="choices">
      <legend>{label}</legend>
      <FieldNotes id={`field-${name}`} hint={hint} error={errors?.[name]} />
      {options.map((o) => (
        <label key={o.value} class="choice">
          <input type={type} name={name} value={o.value} checked={selected.includes(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A single checkbox that posts `value` ("1" unless said) when ticked; its error above, its hint below. */
export function Check({
  name,
  label,
  errors,
  hint,
  checked,
  value = "1",
  class: className = "choice",
}: Common & { checked: boolean; value?: string; class?: "choice" | "check" }) {
  const notes = notesOf({ name, hint, errors });
  return (
    <div class="field">
      <FieldNotes id={notes.id} error={notes.error} />
      <label class={className}>
        <input
          type="checkbox"
          id={notes.id}
          name={name}
          value={value}
          checked={checked}
          {...describedBy(notes)}
        />{" "}
        {label}
      </label>
      <FieldNotes id={notes.id} hint={hint} />
    </div>
  );
}
