import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { healthRoutes } from "./public/health.ts";

export type RouteModule = (app: FastifyInstance, deps: AppDeps) => Promise<void>;

/** Every route module, registered in this order. Add one line per module. */
export const routes: RouteModule[] = [healthRoutes];
