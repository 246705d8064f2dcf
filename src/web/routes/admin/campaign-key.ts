import type { FastifyReply, FastifyRequest } from "fastify";
import { confirmCampaignKey } from "../../../commands/confirm-campaign-key.ts";
import { setCampaignKey } from "../../../commands/set-campaign-key.ts";
import { withdrawCampaignKeyProposal } from "../../../commands/withdraw-campaign-key-proposal.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { can } from "../../../policies/policy.ts";
import { getCampaignKeyState } from "../../../queries/get-campaign-key-state.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { consoleCampaignFor, consoleCampaignOf } from "../../http/console-campaign.ts";
import { noticeOf } from "../../http/notices.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import {
  CampaignKeyPage,
  type CampaignKeyPageProps,
  keyCanBeSet,
} from "../../views/admin/campaign-key-page.tsx";

type Params = { slug: string };

/**
 * A campaign's coalition key in the console (campaign.edit): its state, and setting it for coordinators
 * without a shell on the server. The key pair is made in the coordinator's browser (create-coalition-key.ts)
 * or with `undersigned keygen` elsewhere; either way only the public key reaches this route. An owner's key
 * takes effect at once; a coordinator's is proposed, and another coordinator (or an owner) confirms or
 * withdraws it here. The rules live in the commands (setCampaignKey, which the CLI shares,
 * confirmCampaignKey, withdrawCampaignKeyProposal).
 */

const NOTICES = {
  saved: "campaignKey.saved",
  proposed: "campaignKey.proposed",
  withdrawn: "campaignKey.withdrawn",
} as const satisfies Record<string, MessageKey>;

export const campaignKeyRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function page(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    user: SessionUser,
    campaign: CampaignKeyPageProps["campaign"],
    extra: Partial<CampaignKeyPageProps> = {},
    status = 200,
  ) {
    const state = await getCampaignKeyState(db, campaign.id);
    const setsAtOnce = can(user, "campaign.key.set", campaign.id);
    // The key maker runs libsodium-sumo as WebAssembly (argon2id over 256 MiB), as the review page does.
    if (keyCanBeSet(state)) reply.header("content-security-policy", WASM_PAGE_CSP);
    return sendPage(
      reply,
      CampaignKeyPage({ ctx: pageContext(request, reply), user, campaign, state, setsAtOnce, ...extra }),
      status,
    );
  }

  const keyPage = (slug: string, notice: keyof typeof NOTICES) =>
    `/admin/campaigns/${encodeURIComponent(slug)}/key?notice=${notice}`;

  /** A refusal the command names beside a field (`publicKey`, or `confirm` for the proposal's forms). */
  const refusalOf = (error: unknown, field: string) =>
    error instanceof AppError && error.code !== "validation" ? error.fields[field] : undefined;

  app.get<{ Params: Params; Querystring: { notice?: string } }>(
    "/admin/campaigns/:slug/key",
    async (request, reply) => {
      const { campaign, user } = await consoleCampaignFor(db, request, "campaign.edit");
      return page(request, reply, user, campaign, {
        notice: noticeOf(request, NOTICES, request.query.notice),
      });
    },
  );

  formRoute(app, deps, "/admin/campaigns/:slug/key", {
    load: (request: FastifyRequest<{ Params: Params }>) => consoleCampaignOf(db, request),
    authorise: (request, campaign) => requirePermission(request, "campaign.edit", campaign.id),
    values: (body) => ({ publicKey: typed(body, "publicKey") ?? "" }),
    command: async ({ publicKey }, { request, user, loaded: campaign, now }) => {
      try {
        return await setCampaignKey(
          deps,
          { campaignSlug: campaign.slug, publicKey, actor: actorOf(user) },
          now,
        );
      } catch (error) {
        // A key the campaign may not take now (it keeps its key, a proposal waits) is said beside the field too.
        const key = refusalOf(error, "publicKey");
        if (key) {
          const message = request.t(key, (error as AppError).params);
          return formAgain((error as AppError).status, { errors: { publicKey: message }, problem: message });
        }
        throw error;
      }
    },
    render: ({ request, reply, user, loaded: campaign }, status, form) =>
      page(request, reply, user, campaign, form, status),
    redirect: ({ outcome }, { loaded: campaign }) =>
      keyPage(campaign.slug, outcome === "set" ? "saved" : "proposed"),
  });

  // Confirming or withdrawing a proposal names it by the fingerprint the page showed.
  for (const [action, run, notice] of [
    ["confirm", confirmCampaignKey, "saved"],
    ["withdraw", withdrawCampaignKeyProposal, "withdrawn"],
  ] as const) {
    formRoute(app, deps, `/admin/campaigns/:slug/key/${action}`, {
      load: (request: FastifyRequest<{ Params: Params }>) => consoleCampaignOf(db, request),
      authorise: (request, campaign) => requirePermission(request, "campaign.edit", campaign.id),
      values: (body) => ({ fingerprint: typed(body, "fingerprint") ?? "" }),
      command: async ({ fingerprint }, { request, user, loaded: campaign, now }) => {
        try {
          return await run(deps, { campaignSlug: campaign.slug, fingerprint, actor: actorOf(user) }, now);
        } catch (error) {
          const key = refusalOf(error, "confirm");
          if (key)
            return formAgain((error as AppError).status, {
              problem: request.t(key, (error as AppError).params),
            });
          throw error;
        }
      },
      render: ({ request, reply, user, loaded: campaign }, status, form) =>
        page(request, reply, user, campaign, { problem: form.problem }, status),
      redirect: (_, { loaded: campaign }) => keyPage(campaign.slug, notice),
    });
  }
};
