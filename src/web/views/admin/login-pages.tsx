import type { FieldErrors } from "../../forms/parse-form.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { Field, Notice, PostForm, Problem } from "./fields.tsx";

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
        <Field
          name="email"
          type="email"
          label={t("account.email")}
          value={values.email}
          errors={errors}
          autocomplete="username"
        />
        <Field
          name="password"
          type="password"
          label={t("account.password")}
          errors={errors}
          autocomplete="current-password"
        />
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
        <Field name="code" label={t("login.codeLabel")} errors={errors} autocomplete="one-time-code" />
        <div>
          <button type="submit">{t("common.continue")}</button>
        </div>
      </PostForm>
    </Layout>
  );
}
