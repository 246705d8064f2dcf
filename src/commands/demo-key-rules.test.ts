import { describe, expect, it } from "vitest";
import { commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { consoleActor, letterDraft } from "../../test/letter-drafts.ts";
import { insertCampaign, insertLetter } from "../../test/letter-factory.ts";
import { loadConfig } from "../config.ts";
import { generateKeyPair } from "../crypto/seal.ts";
import { AppError } from "../domain/app-error.ts";
import { EXAMPLE_LETTER } from "../domain/example-letter.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { ImportRefused } from "../store/import-target.ts";
import { draftFromLetter } from "../store/letter-rows.ts";
import { changeLetterState } from "./change-letter-state.ts";
import { createExampleCampaign } from "./create-example-campaign.ts";
import { createLetter } from "./create-letter.ts";
import { importSignatures } from "./import-signatures.ts";
import { saveLetter } from "./save-letter.ts";
import { signLetter } from "./sign-letter.ts";

const now = new Date("2026-03-01T09:00:00.000Z");

/** The translated message key a refused command names for a field. */
async function refusal(promise: Promise<unknown>, field: string): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).fields[field];
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the DEMO key seals only the example on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => ({ store: store.current(), config: loadConfig({ DATA_DIR: store.dataDir() }) });

    async function example() {
      await createExampleCampaign(deps(), now);
      const { db } = store.current();
      const letter = await db
        .selectFrom("letters")
        .select(["id", "campaign_id"])
        .where("slug", "=", EXAMPLE_LETTER.slug)
        .executeTakeFirstOrThrow();
      return { letterId: letter.id, campaignId: letter.campaign_id };
    }

    async function realCampaign() {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const pair = await generateKeyPair();
      await db
        .updateTable("campaigns")
        .set({ public_key: pair.publicKey })
        .where("id", "=", campaign.id)
        .execute();
      return campaign;
    }

    it("creates no letter in a DEMO-key campaign and moves none into it", async () => {
      const { campaignId } = await example();
      const owner = await consoleActor(store.current(), "owner");
      expect(
        await refusal(
          createLetter(deps(), { actor: owner, draft: letterDraft(campaignId) }, now),
          "campaign",
        ),
      ).toBe("letters.demoCampaign");

      const real = await realCampaign();
      const created = await createLetter(deps(), { actor: owner, draft: letterDraft(real.id) }, now);
      const editable = (await getLetterForEditing(store.current().db, created.id))!;
      const draft = { ...draftFromLetter(editable), campaignId };
      expect(
        await refusal(saveLetter(deps(), { actor: owner, letterId: created.id, draft }, now), "campaign"),
      ).toBe("letters.demoCampaign");
      const still = await store
        .current()
        .db.selectFrom("letters")
        .select("campaign_id")
        .where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      expect(still.campaign_id).toBe(real.id);
    });

    it("moves an unendorsed letter between real campaigns, but no letter that has endorsements", async () => {
      const { letterId } = await example();
      const owner = await consoleActor(store.current(), "owner");
      const first = await realCampaign();
      const second = await realCampaign();
      const created = await createLetter(deps(), { actor: owner, draft: letterDraft(first.id) }, now);
      const moveTo = async (id: number, campaignId: number) => {
        const editable = (await getLetterForEditing(store.current().db, id))!;
        return saveLetter(
          deps(),
          { actor: owner, letterId: id, draft: { ...draftFromLetter(editable), campaignId } },
          now,
        );
      };
      await moveTo(created.id, second.id);
      const moved = await store
        .current()
        .db.selectFrom("letters")
        .select("campaign_id")
        .where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      expect(moved.campaign_id).toBe(second.id);

      // The example letter has its invented endorsements, sealed to the DEMO key: it stays where it is.
      expect(await refusal(moveTo(letterId, first.id), "campaign")).toBe("letters.campaignLockedEndorsed");
    });

    it("refuses sign-on on the example letter and opening sign-on in a DEMO-key campaign", async () => {
      const { campaignId } = await example();
      const result = await signLetter(
        commandDeps(store.current(), store.dataDir()),
        {
          slug: EXAMPLE_LETTER.slug,
          form: {
            visibility: "undisclosed",
            name: "A real organisation",
            email: "real@example.org",
            consent: "yes",
          },
          locale: "en",
          ip: "192.0.2.7",
        },
        now,
      );
      expect(result).toEqual({ outcome: "closed", reason: "demo_key" });

      // A draft already in the campaign (from before these rules) cannot open sign-on there either.
      const draft = await insertLetter(store.current().db, { campaignId, state: "draft" });
      const owner = await consoleActor(store.current(), "owner");
      expect(
        await refusal(
          changeLetterState(deps(), { actor: owner, letterId: draft.id, transition: "open" }, now),
          "state",
        ),
      ).toBe("letters.demoKeyNoSignOn");
    });

    it("refuses to import endorsements into the example letter", async () => {
      await example();
      const error = await importSignatures(
        deps(),
        {
          actor: "cli",
          letterSlug: EXAMPLE_LETTER.slug,
          status: "approved",
          text: "name,visibility,email\nReal Org,undisclosed,real@example.org\n",
        },
        now,
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportRefused);
      expect((error as ImportRefused).code).toBe("demoKey");
    });
  });
}
