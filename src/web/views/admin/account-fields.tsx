import { PASSWORD_MIN_LENGTH } from "../../../crypto/passwords.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { Field } from "../components/fields.tsx";
import type { PageContext } from "../layout.tsx";

/*
 * The account forms' fields (set-up, invitation, sign-in, password reset, team, security), each asked the
 * same way wherever it appears, with the browser's autocomplete hint for what it is.
 */

type AccountFieldProps = { ctx: PageContext; errors?: FieldErrors | undefined };

export function NameField({ ctx, value, errors }: AccountFieldProps & { value: string | undefined }) {
  return (
    <Field
      name="name"
      label={ctx.t("account.name")}
      value={value}
      errors={errors}
      autocomplete="name"
      required
    />
  );
}

/** `autocomplete`: "username" on the sign-in form, "off" for someone else's address (an invitation). */
export function EmailField({
  ctx,
  value,
  errors,
  autocomplete = "email",
}: AccountFieldProps & { value: string | undefined; autocomplete?: "email" | "username" | "off" }) {
  return (
    <Field
      name="email"
      type="email"
      label={ctx.t("account.email")}
      value={value}
      errors={errors}
      autocomplete={autocomplete}
      required
    />
  );
}

/** The password in use, to sign in or to confirm a change (`required` false where a code may do instead). */
export function CurrentPasswordField({
  ctx,
  errors,
  required = true,
}: AccountFieldProps & { required?: boolean }) {
  return (
    <Field
      name="password"
      type="password"
      label={ctx.t("account.password")}
      errors={errors}
      autocomplete="current-password"
      required={required}
    />
  );
}

/** A code from the authenticator app (or a recovery code). */
export function CodeField({
  ctx,
  errors,
  required = true,
  inputMode,
}: AccountFieldProps & { required?: boolean; inputMode?: "numeric" }) {
  return (
    <Field
      name="code"
      label={ctx.t("login.codeLabel")}
      errors={errors}
      autocomplete="one-time-code"
      inputMode={inputMode}
      required={required}
    />
  );
}

/** A new password typed twice, as the set-up and reset forms ask for it (the minimum length in the hint). */
export function NewPasswordFields({ ctx, label, errors }: AccountFieldProps & { label: string }) {
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
        required
      />
      <Field
        name="passwordRepeat"
        type="password"
        label={t("account.passwordRepeat")}
        errors={errors}
        autocomplete="new-password"
        required
      />
    </>
  );
}
