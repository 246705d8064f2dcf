import type { InviteView } from "../../../queries/get-invite.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import { PostForm, Problem } from "../components/form.tsx";
import { Layout, type PageContext } from "../layout.tsx";
import { NameField, NewPasswordFields } from "./account-fields.tsx";

export type InvitePageProps = {
  ctx: PageContext;
  token: string;
  invite: InviteView;
  /** The signed-in account, if any: it joins, or is told the link is for another address. */
  signedInAs?: string | undefined;
  values?: { name?: string | undefined };
  errors?: FieldErrors;
  problem?: string | undefined;
};

/** An invitation link: create an account and join, join with the signed-in account, or sign in first. */
export function InvitePage({
  ctx,
  token,
  invite,
  signedInAs,
  values = {},
  errors,
  problem,
}: InvitePageProps) {
  const { t } = ctx;
  const action = `/admin/invite/${encodeURIComponent(token)}`;
  const intro = t("invite.intro", { campaign: invite.campaignName, role: t(`role.${invite.role}`) });
  return (
    <Layout ctx={ctx} title={t("invite.title")}>
      <h1>{t("invite.title")}</h1>
      <p>{intro}</p>
      <Problem message={problem} />
      {signedInAs !== undefined ? (
        signedInAs === invite.email ? (
          <PostForm ctx={ctx} action={action}>
            <div>
              <button type="submit">{t("invite.join")}</button>
            </div>
          </PostForm>
        ) : (
          <p>{t("invite.otherAccount", { email: invite.email, current: signedInAs })}</p>
        )
      ) : invite.accountExists ? (
        <p>
          {t("invite.signInFirst", { email: invite.email })}{" "}
          <a href={`/admin/login?next=${encodeURIComponent(action)}`}>{t("nav.signIn")}</a>
        </p>
      ) : (
        <PostForm ctx={ctx} action={action}>
          <p>
            {t("account.email")}: <strong>{invite.email}</strong>
          </p>
          <NameField ctx={ctx} value={values.name} errors={errors} />
          <NewPasswordFields ctx={ctx} label={t("account.password")} errors={errors} />
          <div>
            <button type="submit">{t("invite.create")}</button>
          </div>
        </PostForm>
      )}
    </Layout>
  );
}
