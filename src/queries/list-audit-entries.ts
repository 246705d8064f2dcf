import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { AuditEntriesTable } from "../store/schema/records.ts";
import type { Database } from "../store/schema.ts";

/*
 * The audit log as the console shows and exports it: newest first, filtered by action, letter and a range
 * of days (UTC, inclusive). It reads audit_entries and the letters' slugs, nothing else: the entries were
 * written never to hold an undisclosed identity (store/audit.ts), so neither can this.
 */

/**
 * Which campaigns' entries the reader may see: everything (an owner), or the entries of some campaigns
 * (by the entry's campaign, else its letter's), leaving out server-wide ones such as sign-ins.
 */
export type AuditScope = { only: "all" | readonly number[]; except: readonly number[] };

export type AuditFilters = {
  action?: string | undefined;
  letterId?: number | undefined;
  /** YYYY-MM-DD, first day included. */
  from?: string | undefined;
  /** YYYY-MM-DD, last day included. */
  to?: string | undefined;
};

export type AuditRow = Pick<
  AuditEntriesTable,
  "at" | "actor_label" | "action" | "subject_type" | "subject_id" | "letter_id" | "detail"
> & { id: number; letter_slug: string | null };

export const AUDIT_PAGE_SIZE = 50;

/** The CSV export stops here; a narrower filter gets the rest. */
export const AUDIT_EXPORT_LIMIT = 100_000;

function filtered(db: Kysely<Database>, scope: AuditScope, filters: AuditFilters) {
  let query = db.selectFrom("audit_entries").leftJoin("letters", "letters.id", "audit_entries.letter_id");
  const campaign = sql<number | null>`coalesce(audit_entries.campaign_id, letters.campaign_id)`;
  if (scope.only !== "all") query = query.where(campaign, "in", scope.only.length > 0 ? scope.only : [-1]);
  if (scope.except.length > 0)
    query = query.where((eb) => eb.or([eb(campaign, "is", null), eb(campaign, "not in", scope.except)]));
  if (filters.action) query = query.where("audit_entries.action", "=", filters.action);
  if (filters.letterId !== undefined) query = query.where("audit_entries.letter_id", "=", filters.letterId);
  // Times are ISO-8601 UTC text in both databases, so day bounds compare as strings.
  if (filters.from) query = query.where("audit_entries.at", ">=", `${filters.from}T00:00:00.000Z`);
  if (filters.to) query = query.where("audit_entries.at", "<", nextDay(filters.to));
  return query;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

function rows<O>(query: SelectQueryBuilder<Database, "audit_entries" | "letters", O>) {
  return query
    .select([
      "audit_entries.id",
      "audit_entries.at",
      "audit_entries.actor_label",
      "audit_entries.action",
      "audit_entries.subject_type",
      "audit_entries.subject_id",
      "audit_entries.letter_id",
      "audit_entries.detail",
      "letters.slug as letter_slug",
    ])
    .orderBy("audit_entries.at", "desc")
    .orderBy("audit_entries.id", "desc");
}

/** One page of entries, the total for the filter, and the choices the filter form offers. */
export async function listAuditEntries(
  db: Kysely<Database>,
  scope: AuditScope,
  filters: AuditFilters,
  page: number,
): Promise<{
  entries: AuditRow[];
  total: number;
  actions: string[];
  letters: { id: number; slug: string }[];
}> {
  const [entries, count, actions, letters] = await Promise.all([
    rows(filtered(db, scope, filters))
      .limit(AUDIT_PAGE_SIZE)
      .offset((page - 1) * AUDIT_PAGE_SIZE)
      .execute(),
    filtered(db, scope, filters)
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow(),
    db.selectFrom("audit_entries").select("action").distinct().orderBy("action").execute(),
    db
      .selectFrom("letters")
      .select(["id", "slug"])
      .$if(scope.only !== "all", (q) =>
        q.where("campaign_id", "in", [-1, ...(scope.only as readonly number[])]),
      )
      .$if(scope.except.length > 0, (q) => q.where("campaign_id", "not in", scope.except))
      .orderBy("slug")
      .execute(),
  ]);
  return {
    entries,
    // PostgreSQL returns count(*) as a string (bigint).
    total: Number(count.n),
    actions: actions.map((a) => a.action),
    letters,
  };
}

/** Every entry the filter matches, up to AUDIT_EXPORT_LIMIT, for the CSV export. */
export function listAuditEntriesForExport(
  db: Kysely<Database>,
  scope: AuditScope,
  filters: AuditFilters,
): Promise<AuditRow[]> {
  return rows(filtered(db, scope, filters))
    .limit(AUDIT_EXPORT_LIMIT)
    .execute();
}
