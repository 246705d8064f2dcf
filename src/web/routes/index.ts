import type { RouteModule } from "../app-deps.ts";
import { adminRoutes } from "./admin/index.ts";
import { apiLetterRecordRoutes } from "./api/letter-records.ts";
import { apiLetterRoutes } from "./api/letters.ts";
import { apiOpenApiRoutes } from "./api/openapi.ts";
import { campaignRoutes } from "./public/campaigns.ts";
import { embedRoutes } from "./public/embed.ts";
import { faviconRoutes } from "./public/favicon.ts";
import { healthRoutes } from "./public/health.ts";
import { letterRoutes } from "./public/letters.ts";
import { metricsRoutes } from "./public/metrics.ts";
import { responseDocumentRoutes } from "./public/response-documents.ts";
import { transparencyLogRoutes } from "./public/transparency-log.ts";
import { letterUpdateRoutes } from "./public/updates.ts";
import { uploadRoutes } from "./public/uploads.ts";
import { verifyRoutes } from "./public/verify.ts";
import { signRoutes } from "./sign/index.ts";

/** Every route module, registered in this order. Add one line per module. */
export const routes: RouteModule[] = [
  healthRoutes,
  metricsRoutes,
  faviconRoutes,
  adminRoutes,
  letterRoutes,
  campaignRoutes,
  apiLetterRoutes,
  letterUpdateRoutes,
  embedRoutes,
  apiLetterRecordRoutes,
  apiOpenApiRoutes,
  responseDocumentRoutes,
  uploadRoutes,
  signRoutes,
  transparencyLogRoutes,
  verifyRoutes,
];
