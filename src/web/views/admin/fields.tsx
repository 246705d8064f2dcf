import type { ComponentChildren } from "preact";
import { PASSWORD_MIN_LENGTH } from "../../../crypto/passwords.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { CsrfField, type PageContext } from "../layout.tsx";

/*
 * Building blocks of the console's forms. Every field carries its label, its error (tied to it with
 * aria-describedby for screen readers) and what was typed; password fields never get their value back.
 */

type FieldProps = {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  value?: string | undefined;
  errors?: FieldErrors | undefined;
  autocomplete?: string;
  inputMode?: "numeric" | "text";
  required?: boolean;
  hint?: string;
};

export function Field({
  name,
  label,
  type = "text",
  value,
  errors,
  autocomplete,
  inputMode,
  required = true,
  hint,
}: FieldProps) {
  const error = errors?.[name];
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  // Hint and error sit outside the <label> so the field's accessible name is the label alone; they are
  // announced as its description instead.
  return (
    <div class="field">
      <label for={id}>{label}</label>
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
      <input
        id={id}
        type={type}
        name={name}
        value={type === "password" ? undefined : value}
        autocomplete={autocomplete}
        inputMode={inputMode}
        required={required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}

/** A state-changing form: always POST, always with the CSRF token first. */
export function PostForm({
  ctx,
  action,
  children,
  class: className = "stack",
}: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <form method="post" action={action} class={className} novalidate>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

/** The message at the top of a form that could not be accepted; announced to screen readers. */
export function Problem({ message }: { message: string | undefined }) {
  return message ? (
    <div class="error-summary" role="alert">
      <p>{message}</p>
    </div>
  ) : null;
}

export function Notice({ message }: { message: string | undefined }) {
  return message ? (
    <div class="notice" role="status">
      <p>{message}</p>
    </div>
  ) : null;
}

/** A new password typed twice, as the set-up and reset forms ask for it (the minimum length in the hint). */
export function NewPasswordFields({
  ctx,
  label,
  errors,
}: {
  ctx: PageContext;
  label: string;
  errors?: FieldErrors | undefined;
}) {
  const { t } = ctx;
  return (
    <>
      <Field
        name="password"
        type="password"
        label={label}
        hint={t("field.passwordShort", { min: PASSWORD_MIN_LENGTH })}
        errors={errors}
        autocomplete="new-password"
      />
      <Field
        name="passwordRepeat"
        type="password"
        label={t("account.passwordRepeat")}
        errors={errors}
        autocomplete="new-password"
      />
    </>
  );
}
