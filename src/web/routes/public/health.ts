import { sql } from "kysely";
import type { RouteModule } from "../../app-deps.ts";

/** Liveness for load balancers: 200 when the database answers within two seconds, 503 otherwise. */
export const healthRoutes: RouteModule = async (app, { store }) => {
  app.get("/healthz", { config: { rateLimit: false } }, async (_request, reply) => {
    reply.header("cache-control", "no-store");
    try {
      await withTimeout(sql`select 1`.execute(store.db), 2000);
      return reply.send({ status: "ok", database: "ok" });
    } catch {
      return reply.status(503).send({ status: "unavailable", database: "unreachable" });
    }
  });
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
