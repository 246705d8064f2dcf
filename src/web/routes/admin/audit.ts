import { z } from "zod";
import { AppError } from "../../../domain/app-error.ts";
import { toCsv } from "../../../domain/csv.ts";
import { campaignsWhere } from "../../../policies/policy.ts";
import {
  type AuditFilters,
  type AuditScope,
  listAuditEntries,
  listAuditEntriesForExport,
} from "../../../queries/list-audit-entries.ts";
import type { RouteModule } from "../../app-deps.ts";
import { ID } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requireUser } from "../../session.ts";
import { AuditPage } from "../../views/admin/audit-page.tsx";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/** Unknown or malformed filter values are ignored, not errors: a stale bookmark still opens the log. */
const querySchema = z.object({
  action: z
    .string()
    .regex(/^[a-z_.]{1,100}$/)
    .optional()
    .catch(undefined),
  letter: z.string().regex(ID).transform(Number).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

/**
 * The entries this user may read: an owner's, all; a coordinator's, their campaigns'. Campaigns that require
 * TOTP stay out while this session has not given a code; nobody with no campaign to read is let in.
 */
function auditScope(user: SessionUser): AuditScope {
  const only = campaignsWhere(user, "audit.read");
  if (only !== "all" && only.length === 0) throw new AppError("forbidden");
  const except = user.secondFactorProven ? [] : [...user.totpCampaigns];
  return { only: only === "all" ? "all" : only.filter((id) => !except.includes(id)), except };
}

function filtersOf(query: unknown): AuditFilters & { page: number } {
  const q = querySchema.parse(query ?? {});
  return { action: q.action, letterId: q.letter, from: q.from, to: q.to, page: q.page };
}

/**
 * The audit log (who did what, when, to which record): a filterable, paginated page and the same selection
 * as CSV. Cells go through toCsv, which defuses formulas: an audit detail can quote text someone typed.
 */
export const auditRoutes: RouteModule = async (app, deps) => {
  app.get("/admin/audit", async (request, reply) => {
    const user = requireUser(request);
    const { page, ...filters } = filtersOf(request.query);
    const log = await listAuditEntries(deps.store.db, auditScope(user), filters, page);
    return sendPage(reply, AuditPage({ ctx: pageContext(request, reply), user, log, filters, page }));
  });

  app.get("/admin/audit.csv", async (request, reply) => {
    const user = requireUser(request);
    const { page: _page, ...filters } = filtersOf(request.query);
    const entries = await listAuditEntriesForExport(deps.store.db, auditScope(user), filters);
    const csv = toCsv(
      ["at", "actor", "action", "subject_type", "subject_id", "letter", "detail"],
      entries.map((e) => [
        e.at,
        e.actor_label,
        e.action,
        e.subject_type,
        e.subject_id === null ? null : String(e.subject_id),
        e.letter_slug,
        e.detail,
      ]),
    );
    return reply
      .type("text/csv; charset=utf-8")
      .header("cache-control", "private, no-store")
      .header("content-disposition", 'attachment; filename="audit-log.csv"')
      .send(csv);
  });
};
