import type { FieldErrors } from "../../forms/parse-form.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { Field, NewPasswordFields, PostForm, Problem } from "./fields.tsx";

export type SetupPageProps = {
  ctx: PageContext;
  token: string;
  values?: { name?: string | undefined; email?: string | undefined };
  errors?: FieldErrors;
  problem?: string | undefined;
};

/** Creating the owner account from the one-time set-up link. */
export function SetupPage({ ctx, token, values = {}, errors, problem }: SetupPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("setup.title")}>
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.intro")}</p>
      <Problem message={problem} />
      <PostForm ctx={ctx} action={`/admin/setup/${encodeURIComponent(token)}`}>
        <Field
          name="name"
          label={t("account.name")}
          value={values.name}
          errors={errors}
          autocomplete="name"
        />
        <Field
          name="email"
          type="email"
          label={t("account.email")}
          value={values.email}
          errors={errors}
          autocomplete="email"
        />
        <NewPasswordFields ctx={ctx} label={t("account.password")} errors={errors} />
        <div>
          <button type="submit">{t("account.create")}</button>
        </div>
      </PostForm>
    </Layout>
  );
}
