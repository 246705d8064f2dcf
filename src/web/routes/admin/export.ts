import { AppError } from "../../../domain/app-error.ts";
import { type EndorsementRecord, serialiseEndorsements } from "../../../domain/endorsement-file.ts";
import { listSignaturesForExport } from "../../../queries/list-signatures-for-export.ts";
import type { RouteModule } from "../../app-deps.ts";
import { ID } from "../../http/ids.ts";
import { requireLetterPermission } from "../../session.ts";

const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8" } as const;

/**
 * The public list of a letter as an endorsement file (CSV or JSON, the columns `undersigned import
 * signatures` reads). Listed, approved endorsements only, with their public fields: the full list with
 * undisclosed rows is opened only on a key holder's machine (`undersigned export signatures --key`), never
 * here.
 */
export const exportConsoleRoutes: RouteModule = async (app, deps) => {
  app.get<{ Params: { id: string; format: string } }>(
    "/admin/letters/:id/export/public.:format",
    async (request, reply) => {
      const { id, format } = request.params;
      if (!ID.test(id) || (format !== "csv" && format !== "json")) throw new AppError("not_found");
      await requireLetterPermission(request, deps, "signature.review", Number(id));
      const letter = await deps.store.db
        .selectFrom("letters")
        .select(["id", "slug"])
        .where("id", "=", Number(id))
        .executeTakeFirst();
      if (!letter) throw new AppError("not_found");
      const rows = await listSignaturesForExport(deps.store.db, letter.id, { listedOnly: true });
      const records: EndorsementRecord[] = rows.map((r) => ({
        name: r.displayName,
        name_alt: r.displayNameAlt,
        kind: r.kind,
        category: r.category,
        country: r.country,
        website: r.website,
        contact: null,
        email: null,
        visibility: "listed",
        signed_at: r.confirmedAt,
      }));
      return reply
        .type(CONTENT_TYPES[format])
        .header("cache-control", "private, no-store")
        .header("content-disposition", `attachment; filename="${letter.slug}-public-list.${format}"`)
        .send(serialiseEndorsements(records, format));
    },
  );
};
