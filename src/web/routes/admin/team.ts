import type { FastifyReply, FastifyRequest } from "fastify";
import { changeMemberRole } from "../../../commands/change-member-role.ts";
import { inviteMember } from "../../../commands/invite-member.ts";
import { removeMember } from "../../../commands/remove-member.ts";
import { revokeInvite } from "../../../commands/revoke-invite.ts";
import { revokeUserSessions } from "../../../commands/revoke-user-sessions.ts";
import { setCampaignTotp } from "../../../commands/set-campaign-totp.ts";
import { listCampaignTeam } from "../../../queries/list-campaign-team.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formRoute } from "../../forms/form-route.ts";
import { typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { consoleCampaignFor, consoleCampaignOf } from "../../http/console-campaign.ts";
import { idOf } from "../../http/ids.ts";
import { noticeOf } from "../../http/notices.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import { TeamPage, type TeamPageProps } from "../../views/admin/team-page.tsx";

type Params = { slug: string };
type MemberParams = Params & { userId: string };
type InviteParams = Params & { inviteId: string };

const NOTICES = {
  invited: "team.invited",
  revoked: "team.inviteRevoked",
  role: "team.roleChanged",
  removed: "team.removed",
  totp: "team.totpSaved",
  sessions: "team.sessionsEnded",
} as const;

/** A campaign's team: members and their roles, invitations, and whether everyone needs TOTP. */
export const teamRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function page(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    user: SessionUser,
    campaign: TeamPageProps["campaign"],
    extra: Partial<TeamPageProps> = {},
    status = 200,
  ) {
    const team = await listCampaignTeam(db, campaign.id, deps.now());
    return sendPage(
      reply,
      TeamPage({ ctx: pageContext(request, reply), user, campaign, ...team, ...extra }),
      status,
    );
  }

  const back = (slug: string, notice: keyof typeof NOTICES) =>
    `/admin/campaigns/${encodeURIComponent(slug)}/team?notice=${notice}`;

  app.get<{ Params: Params; Querystring: { notice?: string } }>(
    "/admin/campaigns/:slug/team",
    async (request, reply) => {
      const { campaign, user } = await consoleCampaignFor(db, request, "team.manage");
      return page(request, reply, user, campaign, {
        notice: noticeOf(request, NOTICES, request.query.notice),
      });
    },
  );

  formRoute(app, deps, "/admin/campaigns/:slug/team/invite", {
    load: (request: FastifyRequest<{ Params: Params }>) => consoleCampaignOf(db, request),
    authorise: (request, campaign) => requirePermission(request, "team.manage", campaign.id),
    values: (body) => ({ email: typed(body, "email") ?? "", role: typed(body, "role") ?? "" }),
    command: (form, { request, user, loaded: campaign, now }) =>
      inviteMember(
        deps,
        {
          actor: actorOf(user),
          campaignId: campaign.id,
          form,
          locale: request.locale,
          inviterName: user.name,
        },
        now,
      ),
    render: ({ request, reply, user, loaded: campaign }, status, form) =>
      page(request, reply, user, campaign, form, status),
    redirect: (_, { loaded: campaign }) => back(campaign.slug, "invited"),
  });

  app.post<{ Params: InviteParams }>(
    "/admin/campaigns/:slug/team/invites/:inviteId/revoke",
    async (request, reply) => {
      const { campaign, user } = await consoleCampaignFor(db, request, "team.manage");
      await revokeInvite(
        deps,
        { actor: actorOf(user), campaignId: campaign.id, inviteId: idOf(request.params.inviteId) },
        deps.now(),
      );
      return reply.redirect(back(campaign.slug, "revoked"), 303);
    },
  );

  app.post<{ Params: MemberParams }>(
    "/admin/campaigns/:slug/team/members/:userId/role",
    async (request, reply) => {
      const { campaign, user } = await consoleCampaignFor(db, request, "team.manage");
      await changeMemberRole(
        deps,
        {
          actor: actorOf(user),
          campaignId: campaign.id,
          userId: idOf(request.params.userId),
          role: typed(request.body, "role"),
        },
        deps.now(),
      );
      return reply.redirect(back(campaign.slug, "role"), 303);
    },
  );

  app.post<{ Params: MemberParams }>(
    "/admin/campaigns/:slug/team/members/:userId/remove",
    async (request, reply) => {
      const { campaign, user } = await consoleCampaignFor(db, request, "team.manage");
      await removeMember(
        deps,
        { actor: actorOf(user), campaignId: campaign.id, userId: idOf(request.params.userId) },
        deps.now(),
      );
      return reply.redirect(back(campaign.slug, "removed"), 303);
    },
  );

  // Owners only (users.manage): sign a member out of every session, e.g. before disabling the account.
  app.post<{ Params: MemberParams }>(
    "/admin/campaigns/:slug/team/members/:userId/sessions/revoke",
    async (request, reply) => {
      const { campaign } = await consoleCampaignFor(db, request, "team.manage");
      const user = requirePermission(request, "users.manage");
      await revokeUserSessions(
        deps,
        { actor: actorOf(user), userId: idOf(request.params.userId) },
        deps.now(),
      );
      return reply.redirect(back(campaign.slug, "sessions"), 303);
    },
  );

  app.post<{ Params: Params }>("/admin/campaigns/:slug/totp", async (request, reply) => {
    const { campaign, user } = await consoleCampaignFor(db, request, "campaign.edit");
    const required = typed(request.body, "required") === "1";
    // Requiring a second factor one does not have would shut the coordinator out of their own campaign.
    if (required && !user.totpEnabled) {
      return page(request, reply, user, campaign, { problem: request.t("team.totpYoursFirst") }, 409);
    }
    await setCampaignTotp(deps, { actor: actorOf(user), campaignId: campaign.id, required }, deps.now());
    return reply.redirect(back(campaign.slug, "totp"), 303);
  });
};
