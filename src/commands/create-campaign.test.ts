import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor } from "../../test/letter-drafts.ts";
import { AppError } from "../domain/app-error.ts";
import { createCampaign } from "./create-campaign.ts";

const now = new Date("2026-03-01T10:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`createCampaign on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("creates a campaign without a key and audits it", async () => {
      const actor = await consoleActor(store.current());
      const { id } = await createCampaign(
        { store: store.current() },
        { actor, slug: `c-${dialect.name}`, name: "Aviation fuel", description: "" },
        now,
      );
      const row = await store
        .current()
        .db.selectFrom("campaigns")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: "Aviation fuel", public_key: null, demo_key: 0 });
      const audit = await store
        .current()
        .db.selectFrom("audit_entries")
        .selectAll()
        .where("campaign_id", "=", id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(["campaign.create"]);
    });

    it("refuses a slug in use with a field error, and refuses reviewers", async () => {
      const actor = await consoleActor(store.current());
      const input = { actor, slug: `dup-${dialect.name}`, name: "One", description: "" };
      await createCampaign({ store: store.current() }, input, now);
      await expect(createCampaign({ store: store.current() }, input, now)).rejects.toMatchObject({
        code: "validation",
        fields: { slug: "letters.slugTaken" },
      });
      const reviewer = await consoleActor(store.current(), "reviewer");
      await expect(
        createCampaign(
          { store: store.current() },
          { ...input, actor: reviewer, slug: `r-${dialect.name}` },
          now,
        ),
      ).rejects.toEqual(new AppError("forbidden"));
    });
  });
}
