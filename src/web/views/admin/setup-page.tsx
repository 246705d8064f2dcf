import type { FieldErrors } from "../../forms/parse-form.ts";
import { PostForm, Problem } from "../components/form.tsx";
import { Layout, type PageContext } from "../layout.tsx";
import { EmailField, NameField, NewPasswordFields } from "./account-fields.tsx";

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
        <NameField ctx={ctx} value={values.name} errors={errors} />
        <EmailField ctx={ctx} value={values.email} errors={errors} />
        <NewPasswordFields ctx={ctx} label={t("account.password")} errors={errors} />
        <div>
          <button type="submit">{t("account.create")}</button>
        </div>
      </PostForm>
    </Layout>
  );
}
