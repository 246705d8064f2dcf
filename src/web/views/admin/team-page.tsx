import { CAMPAIGN_ROLES } from "../../../domain/roles.ts";
import { formatDate } from "../../../i18n/index.ts";
import { can } from "../../../policies/policy.ts";
import type { PendingInvite, TeamMember } from "../../../queries/list-campaign-team.ts";
import type { FieldErrors } from "../../forms/parse-form.ts";
import type { SessionUser } from "../../session.ts";
import { Select } from "../components/fields.tsx";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { EmailField } from "./account-fields.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

export type TeamPageProps = {
  ctx: PageContext;
  user: SessionUser;
  campaign: { id: number; slug: string; name: string; requireTotp: boolean };
  members: TeamMember[];
  invites: PendingInvite[];
  values?: { email?: string; role?: string };
  errors?: FieldErrors;
  problem?: string | undefined;
  notice?: string | undefined;
};

/** A campaign's team: who is in it with which role, who is invited, and the TOTP requirement. */
export function TeamPage({
  ctx,
  user,
  campaign,
  members,
  invites,
  values = {},
  errors,
  problem,
  notice,
}: TeamPageProps) {
  const { t, locale } = ctx;
  const base = `/admin/campaigns/${encodeURIComponent(campaign.slug)}`;
  const roleOptions = CAMPAIGN_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("team.title", { campaign: campaign.name })}>
      <p class="muted">
        <a href={base}>{campaign.name}</a>
      </p>
      <h1>{t("team.title", { campaign: campaign.name })}</h1>
      <Notice message={notice} />
      <Problem message={problem} />

      <section aria-labelledby="team-members">
        <h2 id="team-members">{t("team.members")}</h2>
        {members.length === 0 ? <p>{t("team.noMembers")}</p> : null}
        <ul class="team">
          {members.map((m) => (
            <li key={m.userId}>
              <p>
                <strong>{m.name}</strong> <span class="muted">{m.email}</span>
                <br />
                <span class="muted">
                  {t(`role.${m.role}`)} · {m.totpEnabled ? t("team.totpOn") : t("team.totpOff")}
                  {m.disabled ? ` · ${t("team.disabled")}` : ""}
                </span>
              </p>
              {m.userId === user.id ? null : (
                <div class="actions">
                  <PostForm ctx={ctx} action={`${base}/team/members/${m.userId}/role`} class="inline">
                    <label for={`role-${m.userId}`} class="visually-hidden">
                      {t("team.roleOf", { name: m.name })}
                    </label>
                    <select id={`role-${m.userId}`} name="role">
                      {roleOptions.map((o) => (
                        <option key={o.value} value={o.value} selected={o.value === m.role}>
                          {o.label}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" class="secondary">
                      {t("team.changeRole")}
                    </button>
                  </PostForm>
                  <PostForm ctx={ctx} action={`${base}/team/members/${m.userId}/remove`} class="inline">
                    <button type="submit" class="secondary">
                      {t("team.remove")}
                    </button>
                  </PostForm>
                  {can(user, "users.manage") ? (
                    <PostForm
                      ctx={ctx}
                      action={`${base}/team/members/${m.userId}/sessions/revoke`}
                      class="inline"
                    >
                      <button type="submit" class="secondary">
                        {t("team.endSessions")}
                      </button>
                    </PostForm>
                  ) : null}
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="team-invites">
        <h2 id="team-invites">{t("team.invites")}</h2>
        {invites.length === 0 ? <p>{t("team.noInvites")}</p> : null}
        <ul class="team">
          {invites.map((i) => (
            <li key={i.id}>
              <p>
                <strong>{i.email}</strong>
                <br />
                <span class="muted">
                  {t(`role.${i.role}`)} · {t("team.inviteExpires", { date: formatDate(locale, i.expiresAt) })}
                </span>
              </p>
              <PostForm ctx={ctx} action={`${base}/team/invites/${i.id}/revoke`} class="inline">
                <button type="submit" class="secondary">
                  {t("team.revokeInvite")}
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
        <h3>{t("team.invite")}</h3>
        <p>{t("team.inviteIntro")}</p>
        <PostForm ctx={ctx} action={`${base}/team/invite`}>
          <EmailField ctx={ctx} value={values.email} errors={errors} autocomplete="off" />
          <Select
            name="role"
            label={t("team.role")}
            value={values.role || "reviewer"}
            errors={errors}
            options={roleOptions}
          />
          <div>
            <button type="submit">{t("team.sendInvite")}</button>
          </div>
        </PostForm>
      </section>

      {can(user, "campaign.edit", campaign.id) ? (
        <section aria-labelledby="team-totp">
          <h2 id="team-totp">{t("team.totpTitle")}</h2>
          <p>{campaign.requireTotp ? t("team.totpRequired") : t("team.totpOptional")}</p>
          <PostForm ctx={ctx} action={`${base}/totp`} class="inline">
            <input type="hidden" name="required" value={campaign.requireTotp ? "0" : "1"} />
            <button type="submit" class={campaign.requireTotp ? "secondary" : undefined}>
              {campaign.requireTotp ? t("team.totpTurnOff") : t("team.totpTurnOn")}
            </button>
          </PostForm>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
