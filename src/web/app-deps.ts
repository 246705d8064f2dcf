import type { FastifyInstance } from "fastify";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { PdfPrinter } from "../pdf/chromium.ts";
import type { LetterPdfs } from "../pdf/letter-pdf.ts";
import type { Store } from "../store/db.ts";
import type { AppMetrics } from "./http/metrics.ts";

export type AppDeps = {
  store: Store;
  config: Config;
  log: Logger;
  /** Server secret for cookie signatures and CSRF tokens; shared by all processes through the database. */
  secret: string;
  /** The clock; tests pass a fixed one. */
  now: () => Date;
  /** The one warm Chromium that prints this app's PDFs (unavailable when none is installed); closed with the app. */
  pdf: PdfPrinter;
};

/** What routes get: the app's dependencies and the services buildApp makes of them. */
export type RouteDeps = AppDeps & {
  /** Letters' PDFs, printed from HTML rendered in this process and cached on disk (public route and delivery). */
  letterPdfs: LetterPdfs;
  /** What /metrics reports; the app records requests into it. */
  metrics: AppMetrics;
};

/** A route module registers the routes of one subject; routes/index.ts lists them all. */
export type RouteModule = (app: FastifyInstance, deps: RouteDeps) => Promise<void>;
