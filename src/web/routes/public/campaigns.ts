import { AppError } from "../../../domain/app-error.ts";
import { getCampaignTimeline } from "../../../queries/get-campaign-timeline.ts";
import { sendPage } from "../../render.ts";
import { CampaignPage } from "../../views/public/campaign-page.tsx";
import type { RouteModule } from "../index.ts";
import { cachePublicly, publicPageContext, SLUG } from "./public-page.ts";

/** `/campaigns/:slug`: the campaign's public letters in order and its story on a timeline; 404 until it has one. */
export const campaignRoutes: RouteModule = async (app, { store }) => {
  app.get<{ Params: { slug: string } }>("/campaigns/:slug", async (request, reply) => {
    const { slug } = request.params;
    const timeline = SLUG.test(slug)
      ? await getCampaignTimeline(store.db, { slug, language: request.locale })
      : undefined;
    if (!timeline) throw new AppError("not_found");
    cachePublicly(request, reply);
    return sendPage(reply, CampaignPage({ ctx: publicPageContext(request), timeline }));
  });
};
