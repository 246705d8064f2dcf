import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { now, useRecipientLetter } from "../../test/recipient-letters.ts";
import { getLetterTracker } from "../queries/get-letter-tracker.ts";
import { trackerGroups } from "../web/views/public/letter-tracker.tsx";
import { importRecipients } from "./import-recipients.ts";
import { saveRecipient } from "./save-recipient.ts";

/*
 * Recipients added by import or in the console take their addressee group from the letter's addressees, so
 * two groups under one heading, one after the other (as in the reference letter), stay two on the tracker.
 */

const DEFENCE = "The Defence Ministers of";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`recipients' addressee groups on ${dialect.label}`, () => {
    const { deps, setUp } = useRecipientLetter(dialect.name);

    it("keeps two adjacent addressee groups with the same heading as two groups on the tracker", async () => {
      const { db, letter, actor } = await setUp();
      await db
        .updateTable("letter_translations")
        .set({
          addressees: JSON.stringify([
            { heading: DEFENCE, names: ["Brunei Darussalam", "Cambodia"] },
            { heading: DEFENCE, names: ["Australia", "Japan"] },
            { heading: "The Special Envoy", names: ["UN Special Envoy on Myanmar"] },
          ]),
        })
        .where("version_id", "=", letter.versionId)
        .execute();
      const csv = [
        "name,country,addressee_group",
        `Minister of Defence,Brunei Darussalam,${DEFENCE}`,
        `Minister of Defence,Cambodia,${DEFENCE}`,
        `Minister of Defence,Australia,${DEFENCE}`,
      ].join("\n");
      expect(await importRecipients(deps(), { actor, letterId: letter.id, csv }, now)).toMatchObject({
        imported: 3,
      });
      // Typed in the console, named as in the letter rather than by country.
      for (const [name, group] of [
        ["Japan", DEFENCE],
        ["UN Special Envoy on Myanmar", "The Special Envoy"],
      ] as const)
        await saveRecipient(
          deps(),
          { actor, letterId: letter.id, fields: { name, addresseeGroup: group } },
          now,
        );

      const groups = trackerGroups((await getLetterTracker(db, letter.id)).recipients);
      expect(groups.map((g) => [g.heading, g.recipients.map((r) => r.country ?? r.name)])).toEqual([
        [DEFENCE, ["Brunei Darussalam", "Cambodia"]],
        [DEFENCE, ["Australia", "Japan"]],
        ["The Special Envoy", ["UN Special Envoy on Myanmar"]],
      ]);
    });
  });
}
