import type { FastifyReply, FastifyRequest } from "fastify";
import { removeStance } from "../../../commands/remove-stance.ts";
import { saveStance } from "../../../commands/save-stance.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { countStanceRecipients, listCampaignStances } from "../../../queries/list-letter-recipients.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formRoute } from "../../forms/form-route.ts";
import { typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { idOf } from "../../http/ids.ts";
import { noticeOf } from "../../http/notices.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission } from "../../session.ts";
import { StanceRemovePage, StancesPage, type StanceValues } from "../../views/admin/stances-page.tsx";

/*
 * A campaign's stances: the positions its recipients take on a letter (supports, opposes, no answer …),
 * named by the coordinators in both languages and tagged on recipients. Every form re-renders with what was
 * typed and a translated reason when refused.
 */

type StanceRequest = { Params: { slug: string; stanceId?: string } };

export const stanceConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function campaignOf(request: FastifyRequest<{ Params: { slug: string } }>) {
    const campaign = await db
      .selectFrom("campaigns")
      .select(["id", "slug", "name"])
      .where("slug", "=", request.params.slug)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    return campaign;
  }

  async function campaignFor(request: FastifyRequest<{ Params: { slug: string } }>) {
    const campaign = await campaignOf(request);
    return { campaign, user: requirePermission(request, "recipients.manage", campaign.id) };
  }

  const stancesPage = async (
    request: FastifyRequest<{ Params: { slug: string } }>,
    reply: FastifyReply,
    extra: { notice?: string; form?: Parameters<typeof StancesPage>[0]["form"] } = {},
    status = 200,
  ) => {
    const { campaign, user } = await campaignFor(request);
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
      return stancesPage(request, reply, { notice: noticeOf(request, STANCE_NOTICES, request.query.notice) });
    },
  );

  /** A new stance's fields are plain; an existing stance's carry its id, so several forms share one page. */
  const stanceForm = (stanceId: (request: FastifyRequest<StanceRequest>) => number | undefined) => ({
    load: async (request: FastifyRequest<StanceRequest>) => ({
      campaign: await campaignOf(request),
      stanceId: stanceId(request),
    }),
    authorise: (request: FastifyRequest<StanceRequest>, { campaign }: { campaign: { id: number } }) =>
      requirePermission(request, "recipients.manage", campaign.id),
    values: (body: unknown, { stanceId }: { stanceId: number | undefined }): StanceValues => {
      const prefix = stanceId === undefined ? "" : `s${stanceId}-`;
      return {
        label: typed(body, `${prefix}label`) ?? "",
        en: typed(body, `${prefix}en`) ?? "",
        my: typed(body, `${prefix}my`) ?? "",
      };
    },
  });

  for (const [url, stanceId] of [
    ["/admin/campaigns/:slug/stances", () => undefined],
    ["/admin/campaigns/:slug/stances/:stanceId", (request) => idOf(request.params.stanceId ?? "")],
  ] as const satisfies [string, (request: FastifyRequest<StanceRequest>) => number | undefined][]) {
    formRoute(app, deps, url, {
      ...stanceForm(stanceId),
      command: (values, { user, loaded: { campaign, stanceId }, now }) =>
        saveStance(
          deps,
          {
            actor: actorOf(user),
            campaignId: campaign.id,
            stanceId,
            form: { label: values.label, translations: { en: values.en, my: values.my } },
          },
          now,
        ),
      render: ({ request, reply, loaded: { stanceId } }, status, form) =>
        stancesPage(request, reply, { form: { ...form, stanceId } }, status),
      redirect: (_, { loaded: { campaign } }) => `/admin/campaigns/${campaign.slug}/stances?notice=saved`,
    });
  }

  // Removing a stance: a confirmation page saying how many recipients carry it, then the removal.
  const removeStancePage = async (
    request: FastifyRequest<{ Params: { slug: string; stanceId: string } }>,
    reply: FastifyReply,
    problem?: string,
    status = 200,
  ) => {
    const { campaign, user } = await campaignFor(request);
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

  formRoute(app, deps, "/admin/campaigns/:slug/stances/:stanceId/remove", {
    load: async (request: FastifyRequest<{ Params: { slug: string; stanceId: string } }>) => ({
      campaign: await campaignOf(request),
      stanceId: idOf(request.params.stanceId),
    }),
    authorise: (request, { campaign }) => requirePermission(request, "recipients.manage", campaign.id),
    values: () => ({}),
    command: (_, { user, loaded: { campaign, stanceId }, now }) =>
      removeStance(deps, { actor: actorOf(user), campaignId: campaign.id, stanceId }, now),
    render: ({ request, reply }, status, { problem }) => removeStancePage(request, reply, problem, status),
    redirect: (_, { loaded: { campaign } }) => `/admin/campaigns/${campaign.slug}/stances?notice=removed`,
  });
};
