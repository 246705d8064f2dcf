import { AppError } from "../../../domain/app-error.ts";
import { getCampaign } from "../../../queries/get-campaign.ts";
import { sendPage } from "../../render.ts";
import { CampaignPage } from "../../views/public/campaign-page.tsx";
import type { RouteModule } from "../index.ts";
import { cachePublicly, publicPageContext, SLUG } from "./public-page.ts";

/** `/campaigns/:slug`: the campaign's public letters in order; 404 until it has one. */
export const campaignRoutes: RouteModule = async (app, { store }) => {
  app.get<{ Params: { slug: string } }>("/campaigns/:slug", async (request, reply) => {
    const { slug } = request.params;
    const campaign = SLUG.test(slug)
      ? await getCampaign(store.db, { slug, language: request.locale })
      : undefined;
    if (!campaign) throw new AppError("not_found");
    cachePublicly(request, reply);
    return sendPage(reply, CampaignPage({ ctx: publicPageContext(request), campaign }));
  });
};
