import type { FastifyReply, FastifyRequest } from "fastify";
import { removeStance } from "../../../commands/remove-stance.ts";
import { saveStance } from "../../../commands/save-stance.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { countStanceRecipients, listCampaignStances } from "../../../queries/list-letter-recipients.ts";
import type { RouteModule } from "../../app-deps.ts";
import { invalidForm } from "../../forms/field-errors.ts";
import { csrfProblem, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { idOf } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import { StanceRemovePage, StancesPage, type StanceValues } from "../../views/admin/stances-page.tsx";

/*
 * A campaign's stances: the positions its recipients take on a letter (supports, opposes, no answer …),
 * named by the coordinators in both languages and tagged on recipients. Every form re-renders with what was
 * typed and a translated reason when refused.
 */

export const stanceConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function campaignOf(request: FastifyRequest<{ Params: { slug: string } }>) {
    const campaign = await db
      .selectFrom("campaigns")
      .select(["id", "slug", "name"])
      .where("slug", "=", request.params.slug)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    const user = requirePermission(request, "recipients.manage", campaign.id);
    return { campaign, user };
  }

  const stancesPage = async (
    request: FastifyRequest<{ Params: { slug: string } }>,
    reply: FastifyReply,
    extra: { notice?: string; form?: Parameters<typeof StancesPage>[0]["form"] } = {},
    status = 200,
  ) => {
    const { campaign, user } = await campaignOf(request);
    return sendPage(
      reply,
      StancesPage({
        ctx: pageContext(request, reply),
        user,
        campaign,
        stances: await listCampaignStances(db, campaign.id),
        ...extra,
      }),
      status,
    );
  };

  const STANCE_NOTICES: Record<string, MessageKey> = { saved: "stances.saved", removed: "stances.removed" };

  app.get<{ Params: { slug: string }; Querystring: { notice?: string } }>(
    "/admin/campaigns/:slug/stances",
    async (request, reply) => {
      const key = request.query.notice;
      return stancesPage(
        request,
        reply,
        key && Object.hasOwn(STANCE_NOTICES, key) ? { notice: request.t(STANCE_NOTICES[key]!) } : {},
      );
    },
  );

  async function postStance(
    request: FastifyRequest<{ Params: { slug: string; stanceId?: string } }>,
    reply: FastifyReply,
    user: SessionUser,
    campaign: { id: number; slug: string },
    stanceId: number | undefined,
  ) {
    const prefix = stanceId === undefined ? "" : `s${stanceId}-`;
    const values: StanceValues = {
      label: typed(request.body, `${prefix}label`) ?? "",
      en: typed(request.body, `${prefix}en`) ?? "",
      my: typed(request.body, `${prefix}my`) ?? "",
    };
    const csrf = csrfProblem(request);
    if (csrf) return stancesPage(request, reply, { form: { values, problem: csrf, stanceId } }, 403);
    try {
      await saveStance(
        deps,
        {
          actor: actorOf(user),
          campaignId: campaign.id,
          stanceId,
          form: { label: values.label, translations: { en: values.en, my: values.my } },
        },
        deps.now(),
      );
    } catch (error) {
      const invalid = invalidForm(error, request.t);
      if (invalid) return stancesPage(request, reply, { form: { values, ...invalid, stanceId } }, 400);
      throw error;
    }
    return reply.redirect(`/admin/campaigns/${campaign.slug}/stances?notice=saved`, 303);
  }

  app.post<{ Params: { slug: string } }>(
    "/admin/campaigns/:slug/stances",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignOf(request);
      return postStance(request, reply, user, campaign, undefined);
    },
  );

  app.post<{ Params: { slug: string; stanceId: string } }>(
    "/admin/campaigns/:slug/stances/:stanceId",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignOf(request);
      return postStance(request, reply, user, campaign, idOf(request.params.stanceId));
    },
  );

  // Removing a stance: a confirmation page saying how many recipients carry it, then the removal.
  const removeStancePage = async (
    request: FastifyRequest<{ Params: { slug: string; stanceId: string } }>,
    reply: FastifyReply,
    problem?: string,
    status = 200,
  ) => {
    const { campaign, user } = await campaignOf(request);
    const stanceId = idOf(request.params.stanceId);
    const stance = (await listCampaignStances(db, campaign.id)).find((s) => s.id === stanceId);
    if (!stance) throw new AppError("not_found");
    const { recipients } = await countStanceRecipients(db, stance.id);
    return sendPage(
      reply,
      StanceRemovePage({
        ctx: pageContext(request, reply),
        user,
        campaign,
        stance,
        carriedBy: recipients,
        problem,
      }),
      status,
    );
  };

  app.get<{ Params: { slug: string; stanceId: string } }>(
    "/admin/campaigns/:slug/stances/:stanceId/remove",
    async (request, reply) => removeStancePage(request, reply),
  );

  app.post<{ Params: { slug: string; stanceId: string } }>(
    "/admin/campaigns/:slug/stances/:stanceId/remove",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignOf(request);
      const csrf = csrfProblem(request);
      if (csrf) return removeStancePage(request, reply, csrf, 403);
      await removeStance(
        deps,
        { actor: actorOf(user), campaignId: campaign.id, stanceId: idOf(request.params.stanceId) },
        deps.now(),
      );
      return reply.redirect(`/admin/campaigns/${campaign.slug}/stances?notice=removed`, 303);
    },
  );
};
