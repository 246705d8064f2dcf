import { PASSWORD_MIN_LENGTH } from "../../../crypto/passwords.ts";
import type { FieldErrors } from "../../forms.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { Field, Notice, PostForm, Problem } from "./fields.tsx";

export type ForgotPasswordPageProps = {
  ctx: PageContext;
  values?: { email?: string | undefined };
  errors?: FieldErrors;
  problem?: string | undefined;
  /** Shown after any well-formed request, whether or not the address has an account. */
  sent?: boolean;
};

export function ForgotPasswordPage({ ctx, values = {}, errors, problem, sent }: ForgotPasswordPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("reset.title")}>
      <h1>{t("reset.title")}</h1>
      {sent ? (
        <Notice message={t("reset.sent")} />
      ) : (
        <>
          <p>{t("reset.intro")}</p>
          <Problem message={problem} />
          <PostForm ctx={ctx} action="/admin/password/forgot">
            <Field
              name="email"
              type="email"
              label={t("account.email")}
              value={values.email}
              errors={errors}
              autocomplete="email"
            />
            <div>
              <button type="submit">{t("reset.submit")}</button>
            </div>
          </PostForm>
        </>
      )}
      <p>
        <a href="/admin/login">{t("login.title")}</a>
      </p>
    </Layout>
  );
}

export type ResetPasswordPageProps = {
  ctx: PageContext;
  token: string;
  errors?: FieldErrors;
  problem?: string | undefined;
};

export function ResetPasswordPage({ ctx, token, errors, problem }: ResetPasswordPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("reset.chooseTitle")}>
      <h1>{t("reset.chooseTitle")}</h1>
      <Problem message={problem} />
      <PostForm ctx={ctx} action={`/admin/password/reset/${encodeURIComponent(token)}`}>
        <Field
          name="password"
          type="password"
          label={t("account.passwordNew")}
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
        <div>
          <button type="submit">{t("common.save")}</button>
        </div>
      </PostForm>
    </Layout>
  );
}
