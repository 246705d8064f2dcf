import type { FieldErrors } from "../../forms/parse-form.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import { Layout, type PageContext } from "../layout.tsx";
import { CodeField, CurrentPasswordField, EmailField } from "./account-fields.tsx";

export type LoginPageProps = {
  ctx: PageContext;
  next?: string | undefined;
  values?: { email?: string | undefined };
  errors?: FieldErrors;
  problem?: string | undefined;
  notice?: string | undefined;
};

export function LoginPage({ ctx, next, values = {}, errors, problem, notice }: LoginPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("login.title")}>
      <h1>{t("login.title")}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      <PostForm ctx={ctx} action="/admin/login">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <EmailField ctx={ctx} value={values.email} errors={errors} autocomplete="username" />
        <CurrentPasswordField ctx={ctx} errors={errors} />
        <div>
          <button type="submit">{t("login.submit")}</button>
        </div>
      </PostForm>
      <p>
        <a href="/admin/password/forgot">{t("login.forgot")}</a>
      </p>
    </Layout>
  );
}

export type SecondFactorPageProps = {
  ctx: PageContext;
  next?: string | undefined;
  errors?: FieldErrors;
  problem?: string | undefined;
};

/** The second step of sign-in: a code from the authenticator app, or a recovery code. */
export function SecondFactorPage({ ctx, next, errors, problem }: SecondFactorPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("login.codeTitle")}>
      <h1>{t("login.codeTitle")}</h1>
      <p>{t("login.codeHelp")}</p>
      <Problem message={problem} />
      <PostForm ctx={ctx} action="/admin/login/code">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <CodeField ctx={ctx} errors={errors} />
        <div>
          <button type="submit">{t("common.continue")}</button>
        </div>
      </PostForm>
    </Layout>
  );
}
