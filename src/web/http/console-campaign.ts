import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/app-error.ts";
import type { CampaignAction } from "../../policies/policy.ts";
import { getConsoleCampaign } from "../../queries/list-console-campaigns.ts";
import type { Store } from "../../store/db.ts";
import { requirePermission, requireUser } from "../session.ts";

/**
 * The campaign a console route is about (`/admin/campaigns/:slug/…`), for a signed-in user; 404 for a slug
 * that is not a campaign. Whether this user may act on it is the route's next step.
 */
export async function consoleCampaignOf(
  db: Store["db"],
  request: FastifyRequest<{ Params: { slug: string } }>,
) {
  requireUser(request);
  const campaign = await getConsoleCampaign(db, request.params.slug);
  if (!campaign) throw new AppError("not_found");
  return campaign;
}

/** The campaign, and the signed-in user when they may take `action` on it (403 otherwise). */
export async function consoleCampaignFor(
  db: Store["db"],
  request: FastifyRequest<{ Params: { slug: string } }>,
  action: CampaignAction,
) {
  const campaign = await consoleCampaignOf(db, request);
  return { campaign, user: requirePermission(request, action, campaign.id) };
}
