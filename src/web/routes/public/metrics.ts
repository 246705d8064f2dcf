import { AppError } from "../../../domain/app-error.ts";
import type { RouteModule } from "../../app-deps.ts";
import { mayReadMetrics } from "../../http/metrics.ts";

/** Prometheus text for the operator's scraper (http/metrics.ts); anyone else finds no such page. */
export const metricsRoutes: RouteModule = async (app, { config, metrics }) => {
  app.get("/metrics", { config: { rateLimit: false } }, async (request, reply) => {
    if (!mayReadMetrics(request, config.metricsToken)) throw new AppError("not_found");
    reply.header("cache-control", "no-store").type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
