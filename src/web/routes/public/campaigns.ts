import { AppError } from "../../../domain/app-error.ts";
import { getCampaignTimeline } from "../../../queries/get-campaign-timeline.ts";
import type { RouteModule } from "../../app-deps.ts";
import { cachePublicly } from "../../http/public-caching.ts";
import { SLUG } from "../../http/slugs.ts";
import { publicPageContext, sendPage } from "../../render.ts";
import { CampaignPage } from "../../views/public/campaign-page.tsx";

/** `/campaigns/:slug`: the campaign's public letters in order and its story on a timeline; 404 until it has one. */
export const campaignRoutes: RouteModule = async (app, { store }) => {
  app.get<{ Params: { slug: string } }>("/campaigns/:slug", async (request, reply) => {
    const { slug } = request.params;
    const timeline = SLUG.test(slug)
      ? await getCampaignTimeline(store.db, { slug, language: request.locale })
      : undefined;
    if (!timeline) throw new AppError("not_found");
    cachePublicly(reply, request.user);
    return sendPage(reply, CampaignPage({ ctx: publicPageContext(request), timeline }));
  });
};
