import type { FieldErrors } from "../../forms/parse-form.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import { Layout, type PageContext } from "../layout.tsx";
import { EmailField, NewPasswordFields } from "./account-fields.tsx";

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
            <EmailField ctx={ctx} value={values.email} errors={errors} />
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
        <NewPasswordFields ctx={ctx} label={t("account.passwordNew")} errors={errors} />
        <div>
          <button type="submit">{t("common.save")}</button>
        </div>
      </PostForm>
    </Layout>
  );
}
