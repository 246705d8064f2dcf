import type { RouteModule } from "../../app-deps.ts";

/**
 * Every page names its icon (/assets/favicon.svg, in the layout), so browsers do not go looking for one. Other
 * clients (feed readers, old browsers, bookmarking tools) still ask for /favicon.ico by convention: they get
 * "no content" instead of a 404 that fills the logs and the browser console on every visit. A 204 rather
 * than the SVG, because clients that ask for .ico by name may not understand SVG.
 */
export const faviconRoutes: RouteModule = async (app) => {
  app.get("/favicon.ico", { config: { rateLimit: false } }, async (_request, reply) =>
    reply.header("cache-control", "public, max-age=604800").status(204).send(),
  );
};
