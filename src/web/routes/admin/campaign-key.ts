import type { FastifyReply, FastifyRequest } from "fastify";
import { setCampaignKey } from "../../../commands/set-campaign-key.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { getCampaignKeyState } from "../../../queries/get-campaign-key-state.ts";
import { getConsoleCampaign } from "../../../queries/list-console-campaigns.ts";
import type { RouteModule } from "../../app-deps.ts";
import { csrfProblem, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission, requireUser } from "../../session.ts";
import {
  CampaignKeyPage,
  type CampaignKeyPageProps,
  keyCanBeSet,
} from "../../views/admin/campaign-key-page.tsx";

type Params = { slug: string };

/**
 * A campaign's coalition key in the console (campaign.edit): its state, and setting it for coordinators
 * without a shell on the server. The key pair is made in the coordinator's browser (create-coalition-key.ts)
 * or with `undersigned keygen` elsewhere; either way only the public key reaches this route. The rules (who,
 * and when a key may be set or the DEMO key replaced) live in setCampaignKey, which the CLI shares.
 */
export const campaignKeyRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function campaignFor(request: FastifyRequest<{ Params: Params }>) {
    requireUser(request);
    const campaign = await getConsoleCampaign(db, request.params.slug);
    if (!campaign) throw new AppError("not_found");
    return { campaign, user: requirePermission(request, "campaign.edit", campaign.id) };
  }

  async function page(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    user: SessionUser,
    campaign: CampaignKeyPageProps["campaign"],
    extra: Partial<CampaignKeyPageProps> = {},
    status = 200,
  ) {
    const state = await getCampaignKeyState(db, campaign.id);
    // The key maker runs libsodium-sumo as WebAssembly (argon2id over 256 MiB), as the review page does.
    if (keyCanBeSet(state)) reply.header("content-security-policy", WASM_PAGE_CSP);
    return sendPage(
      reply,
      CampaignKeyPage({ ctx: pageContext(request, reply), user, campaign, state, ...extra }),
      status,
    );
  }

  app.get<{ Params: Params; Querystring: { notice?: string } }>(
    "/admin/campaigns/:slug/key",
    async (request, reply) => {
      const { campaign, user } = await campaignFor(request);
      return page(request, reply, user, campaign, {
        notice: request.query.notice === "saved" ? request.t("campaignKey.saved") : undefined,
      });
    },
  );

  app.post<{ Params: Params }>(
    "/admin/campaigns/:slug/key",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignFor(request);
      const values = { publicKey: typed(request.body, "publicKey") ?? "" };
      const again = (status: number, extra: Partial<CampaignKeyPageProps>) =>
        page(request, reply, user, campaign, { values, ...extra }, status);
      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });
      try {
        await setCampaignKey(
          deps,
          { campaignSlug: campaign.slug, publicKey: values.publicKey, actor: actorOf(user) },
          deps.now(),
        );
      } catch (error) {
        if (error instanceof AppError && (error.code === "validation" || error.code === "invalid_state")) {
          const key = error.fields.publicKey as MessageKey | undefined;
          const message = key ? request.t(key, error.params) : request.t(`error.${error.code}`);
          return again(error.status, {
            errors: { publicKey: message },
            problem: error.code === "validation" ? request.t("error.validation") : message,
          });
        }
        throw error;
      }
      return reply.redirect(`/admin/campaigns/${encodeURIComponent(campaign.slug)}/key?notice=saved`, 303);
    },
  );
};
