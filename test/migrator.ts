import { type Kysely, Migrator } from "kysely";
import { migrations } from "../src/store/migrate.ts";
import type { Database } from "../src/store/schema.ts";

/**
 * A migrator over every migration, for tests that step a database back to what an older version left and
 * upgrade it again: later migrations are undone first and redone after, as on a real upgrade, and one that
 * lands after a later-numbered one still runs, as migrateToLatest allows.
 */
export function upgradeMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
}
