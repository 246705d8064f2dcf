import type { RouteModule } from "../../app-deps.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission } from "../../session.ts";
import { ConsolePage } from "../../views/admin/console-page.tsx";

/** The console's home page. */
export const consoleRoutes: RouteModule = async (app) => {
  app.get("/admin", async (request, reply) => {
    const user = requirePermission(request, "console.view");
    return sendPage(reply, ConsolePage({ ctx: pageContext(request, reply), user }));
  });
};
