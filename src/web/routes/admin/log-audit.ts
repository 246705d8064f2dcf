import type { FastifyRequest } from "fastify";
import { AppError } from "../../../domain/app-error.ts";
import { readLogAuditInput } from "../../../queries/audit-letter-log.ts";
import type { RouteModule } from "../../app-deps.ts";
import { idOf } from "../../http/ids.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireLetterPermission } from "../../session.ts";
import { LogAuditPage } from "../../views/admin/log-audit-page.tsx";

/**
 * `/admin/letters/:id/log-audit`: the letter's undisclosed records, sealed, and its log entries, for the
 * coordinator's browser to audit with the coalition key (views/admin/log-audit-page.tsx). Reviewers may
 * open it, as they open sealed records on the review page; the page posts nothing.
 */
export const logAuditRoutes: RouteModule = async (app, deps) => {
  app.get(
    "/admin/letters/:id/log-audit",
    async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const letterId = idOf(request.params.id);
      const user = await requireLetterPermission(request, deps, "signature.review", letterId);
      const audit = await readLogAuditInput(deps.store.db, letterId);
      if (!audit) throw new AppError("not_found");
      // libsodium's WebAssembly opens the key file, as on the review page.
      reply.header("content-security-policy", WASM_PAGE_CSP);
      return sendPage(reply, LogAuditPage({ ctx: pageContext(request, reply), user, audit }));
    },
  );
};
