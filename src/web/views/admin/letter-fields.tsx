import type { GroupValues } from "../../forms/letter-form.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { PageContext } from "../layout.tsx";

/*
 * Form controls of the letter editor. Like fields.tsx, each carries its label, its error (announced as its
 * description) and exactly what was typed, so a refused form comes back as the person left it.
 */

type Common = { name: string; label: string; errors?: FieldErrors | undefined; hint?: string | undefined };

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
}

function Messages({
  id,
  hint,
  error,
}: {
  id: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      {hint ? (
        <span id={`${id}-hint`} class="muted">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} class="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function Input({
  name,
  label,
  errors,
  hint,
  value,
  type = "text",
  required = false,
  lang,
}: Common & {
  value: string;
  type?: "text" | "date" | "datetime-local" | "url";
  required?: boolean;
  lang?: string;
}) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} error={error} />
      <input
        id={id}
        type={type}
        name={name}
        value={value}
        required={required}
        lang={lang}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)}
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
}: Common & { value: string; rows?: number; lang?: string | undefined; readOnly?: boolean }) {
  const id = readOnly ? `original-${name}` : `field-${name}`;
  const error = errors?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} error={error} />
      <textarea
        id={id}
        name={readOnly ? undefined : name}
        rows={rows}
        lang={lang}
        readOnly={readOnly}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {value}
      </textarea>
    </div>
  );
}

export function Select({
  name,
  label,
  errors,
  hint,
  value,
  options,
}: Common & { value: string; options: { value: string; label: string }[] }) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} error={error} />
      <select
        id={id}
        name={name}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
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
}: Common & { type: "radio" | "checkbox"; selected: string[]; options: { value: string; label: string }[] }) {
  const error = errors?.[name];
  return (
    <fieldset class="choices">
      <legend>{label}</legend>
      <Messages id={`field-${name}`} hint={hint} error={error} />
      {options.map((o) => (
        <label key={o.value} class="choice">
          <input type={type} name={name} value={o.value} checked={selected.includes(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A single checkbox that posts "1" when ticked. */
export function Flag({ name, label, checked, errors }: Common & { checked: boolean }) {
  const error = errors?.[name];
  return (
    <div class="field">
      {error ? (
        <span id={`field-${name}-error`} class="field-error">
          {error}
        </span>
      ) : null}
      <label class="choice">
        <input type="checkbox" name={name} value="1" checked={checked} /> {label}
      </label>
    </div>
  );
}

/**
 * Addressee groups as numbered fieldsets, each a heading and a textarea of names (one per line). "Add a
 * group" and "Remove" are submit buttons: the server re-renders the form with the change and everything
 * else as typed, so this works without JavaScript.
 */
export function AddresseeGroups({
  ctx,
  groups,
  errors,
  lang,
}: {
  ctx: PageContext;
  groups: GroupValues[];
  errors?: FieldErrors | undefined;
  lang?: string | undefined;
}) {
  const { t } = ctx;
  const error = errors?.groups;
  return (
    <fieldset class="addressees">
      <legend>{t("letters.addressees")}</legend>
      {error ? <span class="field-error">{error}</span> : null}
      <input type="hidden" name="groups" value={String(groups.length)} />
      {groups.map((group, i) => (
        <fieldset key={i} class="addressee-group">
          <legend>{t("letters.group", { number: i + 1 })}</legend>
          <Input name={`heading_${i}`} label={t("letters.groupHeading")} value={group.heading} lang={lang} />
          <TextArea
            name={`names_${i}`}
            label={t("letters.groupNames")}
            value={group.names}
            rows={4}
            lang={lang}
          />
          <button type="submit" name="action" value={`removeGroup:${i}`} class="secondary">
            {t("letters.removeGroup", { number: i + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="submit" name="action" value="addGroup" class="secondary">
        {t("letters.addGroup")}
      </button>
    </fieldset>
  );
}
