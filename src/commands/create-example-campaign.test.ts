import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { countsOf } from "../../test/counts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { loadConfig } from "../config.ts";
import { openSealed } from "../crypto/seal.ts";
import {
  EXAMPLE_LETTER,
  EXAMPLE_LISTED_ENDORSEMENTS,
  EXAMPLE_TRANSLATIONS,
  EXAMPLE_UNDISCLOSED_ENDORSEMENTS,
} from "../domain/example-letter.ts";
import { letterContentHash } from "../domain/letter-content-hash.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { DEMO_KEY_FILE } from "../store/data-dir.ts";
import type { Store } from "../store/db.ts";
import { createExampleCampaign } from "./create-example-campaign.ts";

const now = new Date("2026-03-01T09:00:00.000Z");

/** Every row of every table as text: what a database dump or a backup would hold. */
async function dumpAllTables(store: Store): Promise<string> {
  const tables = await store.db.introspection.getTables();
  const parts: string[] = [];
  for (const table of tables) {
    // biome-ignore lint/suspicious/noExplicitAny: the dump reads tables by name, whatever their type.
    const rows = await (store.db as any).selectFrom(table.name).selectAll().execute();
    parts.push(JSON.stringify(rows));
  }
  return parts.join("\n");
}

/** Strings that would identify an undisclosed example signatory, and every contact address. */
const secrets = [
  ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS.map((e) => e.name),
  ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS.map((e) => e.email),
  ...EXAMPLE_LISTED_ENDORSEMENTS.map((e) => e.email),
];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`createExampleCampaign on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => ({ store: store.current(), config: loadConfig({ DATA_DIR: store.dataDir() }) });

    it("creates the example campaign, its published letter and endorsements once", async () => {
      const result = await createExampleCampaign(deps(), now);
      expect(result).toEqual({
        created: true,
        campaignSlug: "example-campaign",
        letterSlug: EXAMPLE_LETTER.slug,
        keyFile: path.join(store.dataDir(), DEMO_KEY_FILE),
      });

      const { db } = store.current();
      const letter = await db
        .selectFrom("letters")
        .selectAll()
        .where("slug", "=", EXAMPLE_LETTER.slug)
        .executeTakeFirstOrThrow();
      expect(letter.state).toBe("published");
      expect(letter.published_at).toBe(now.toISOString());
      expect(JSON.parse(letter.categories)).toEqual(["Myanmar", "regional", "international"]);

      const counts = (await countSignatures(db, [letter.id])).get(letter.id);
      expect(counts).toEqual(countsOf({ organisation: { listed: 40, undisclosed: 25 }, waiting: 0 }));
      const all = await db
        .selectFrom("signatures")
        .select(["state"])
        .where("letter_id", "=", letter.id)
        .execute();
      expect(all.length).toBe(72);
      expect(all.filter((s) => s.state !== "approved").length).toBeGreaterThanOrEqual(5);

      const again = await createExampleCampaign(deps(), now);
      expect(again).toEqual({ created: false });
      const campaigns = await db.selectFrom("campaigns").select("id").execute();
      const signatures = await db.selectFrom("signatures").select("id").execute();
      expect(campaigns).toHaveLength(1);
      expect(signatures).toHaveLength(72);
    });

    it("links a version whose hash covers the translations and the letter date", async () => {
      const { db } = store.current();
      const letter = await db
        .selectFrom("letters")
        .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
        .select([
          "letters.id",
          "letters.publication_date",
          "letter_versions.content_hash",
          "letter_versions.letter_date",
          "letter_versions.number",
        ])
        .where("letters.slug", "=", EXAMPLE_LETTER.slug)
        .executeTakeFirstOrThrow();
      expect(letter.number).toBe(1);
      expect(letter.letter_date! < letter.publication_date!).toBe(true);
      expect(letter.content_hash).toBe(
        letterContentHash({ letterDate: EXAMPLE_LETTER.letterDate, translations: [...EXAMPLE_TRANSLATIONS] }),
      );
      const translations = await db
        .selectFrom("letter_translations")
        .innerJoin("letter_versions", "letter_versions.id", "letter_translations.version_id")
        .select(["language", "title", "addressees", "body"])
        .where("letter_versions.letter_id", "=", letter.id)
        .orderBy("language")
        .execute();
      expect(translations.map((t) => t.language)).toEqual(["en", "my"]);
      const english = translations[0]!;
      expect(JSON.parse(english.addressees)).toHaveLength(2);
      expect(new Set(english.body.match(/^\[\^\w+\]:/gm)).size).toBeGreaterThanOrEqual(10);
      expect(translations[1]!.title).toMatch(/[\u1000-\u109f]/);
    });

    it("writes the demo key file with its warning and marks the campaign's key as a demo", async () => {
      const file = path.join(store.dataDir(), DEMO_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const key = JSON.parse(readFileSync(file, "utf8"));
      expect(key.warning).toMatch(/DEMO KEY/);
      expect(key.warning).toMatch(/Never use it to seal real endorsements/);
      const campaign = await store.current().db.selectFrom("campaigns").selectAll().executeTakeFirstOrThrow();
      expect(campaign.demo_key).toBe(1);
      expect(campaign.public_key).toBe(key.publicKey);
    });

    it("stores undisclosed identities only sealed, and every contact sealed", async () => {
      const { db } = store.current();
      const key = JSON.parse(readFileSync(path.join(store.dataDir(), DEMO_KEY_FILE), "utf8"));
      const rows = await db.selectFrom("signatures").selectAll().orderBy("id").execute();
      const undisclosed = rows.filter((r) => r.visibility === "undisclosed");
      expect(undisclosed).toHaveLength(EXAMPLE_UNDISCLOSED_ENDORSEMENTS.length);
      for (const [i, row] of undisclosed.entries()) {
        expect(row.display_name).toBeNull();
        expect(row.display_name_alt).toBeNull();
        expect(row.match_key).toBeNull();
        expect(row.website).toBeNull();
        const identity = JSON.parse(await openSealed(row.sealed_identity!, key));
        expect(identity.name).toBe(EXAMPLE_UNDISCLOSED_ENDORSEMENTS[i]!.name);
      }
      const emails = new Set(
        [...EXAMPLE_LISTED_ENDORSEMENTS, ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS].map((e) => e.email),
      );
      for (const row of rows) {
        expect(row.updates_email).toBeNull();
        expect(emails.has(JSON.parse(await openSealed(row.sealed_contact!, key)).email)).toBe(true);
      }
      for (const row of rows.filter((r) => r.visibility === "listed")) expect(row.sealed_identity).toBeNull();
    });

    it("never writes an undisclosed name or any contact address in the clear", async () => {
      const dump = await dumpAllTables(store.current());
      for (const secret of secrets) expect(dump).not.toContain(secret);
      // Listed names are public by choice and do appear, which shows the dump reads real data.
      expect(dump).toContain("Example Rivers Network (demo)");
      if (dialect.name === "sqlite") {
        const file = path.join(store.dataDir(), "undersigned.sqlite");
        const bytes = Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`, { flag: "a+" })]);
        for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, "utf8"))).toBe(false);
        expect(bytes.includes(Buffer.from("Example Rivers Network (demo)", "utf8"))).toBe(true);
      }
    });

    it("records the creation in the audit log as the system, without identities", async () => {
      const entries = await store.current().db.selectFrom("audit_entries").selectAll().execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor_label: "system",
        action: "campaign.create_example",
        actor_user_id: null,
      });
      for (const secret of secrets) expect(entries[0]!.detail).not.toContain(secret);
    });

    describe("when two processes start together", () => {
      const raced = useStore(dialect.name);
      it("creates exactly one example", async () => {
        const results = await Promise.all(
          [1, 2, 3].map(() =>
            createExampleCampaign(
              { store: raced.current(), config: loadConfig({ DATA_DIR: raced.dataDir() }) },
              now,
            ),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(await raced.current().db.selectFrom("campaigns").select("id").execute()).toHaveLength(1);
        expect(await raced.current().db.selectFrom("signatures").select("id").execute()).toHaveLength(72);
      });
    });
  });
}
