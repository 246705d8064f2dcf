import { campaignsWhere } from "../../../policies/policy.ts";
import { listPendingReview } from "../../../queries/list-pending-review.ts";
import type { RouteModule } from "../../app-deps.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission } from "../../session.ts";
import { ConsolePage } from "../../views/admin/console-page.tsx";

/** The console's home page. */
export const consoleRoutes: RouteModule = async (app, deps) => {
  app.get("/admin", async (request, reply) => {
    const user = requirePermission(request, "console.view");
    const pending = await listPendingReview(deps.store.db, campaignsWhere(user, "signature.review"));
    return sendPage(reply, ConsolePage({ ctx: pageContext(request, reply), user, pending }));
  });
};
