import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, getAs, signIn, signInToCampaign } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { publicFieldsOf } from "../../../web/browser/list-threshold.ts";
import { assetUrl } from "../../http/static-assets.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(
    `listing threshold endorsements in the console on ${dialect.label}`,
    () => {
      const store = useStore(dialect.name);

      it("shows waiting and met counts, sends only the met ones' sealed identities, and lists the ticked one", async () => {
        const { app } = await buildTestApp(store.current(), store.dataDir());
        const { db } = store.current();
        const letter = await insertSignableLetter(db);
        const key = letter.keyPair.publicKey;
        await insertEndorsement(db, letter, key, { name: "Listed Before", state: "approved" });
        const threshold = async (name: string, n: number) => {
          const id = await insertEndorsement(db, letter, key, {
            name,
            visibility: "undisclosed",
            state: "confirmed",
          });
          await db.updateTable("signatures").set({ disclose_threshold: n }).where("id", "=", id).execute();
          return id;
        };
        const met = await threshold("Rangoon Teachers", 1);
        const waiting = await threshold("Kachin Relief", 40);
        const sealedOf = async (id: number) =>
          (
            await db
              .selectFrom("signatures")
              .select("sealed_identity")
              .where("id", "=", id)
              .executeTakeFirstOrThrow()
          ).sealed_identity!;
        const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);

        const page = await getAs(app, `/admin/letters/${letter.id}/listing`, cookie);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain("1 waiting, 1 with their condition met.");
        expect(page.body).toContain(`name="id" value="${met}"`);
        expect(page.body).toContain(await sealedOf(met));
        // What still waits is not even sent sealed: nobody may open it yet.
        expect(page.body).not.toContain(await sealedOf(waiting));
        expect(page.body).toContain(`<script type="module" src="${assetUrl("admin/list-threshold.js")}">`);
        expect(page.body).toContain(`href="/admin/letters/${letter.id}/listing" aria-current="page"`);

        const csrf = csrfOf(page.body);
        // What the page's script adds for the ticked, opened endorsement: its public fields only.
        const fields = publicFieldsOf(String(met), { name: "Rangoon Teachers", country: "MM" });
        expect(fields).toEqual([
          [`name_${met}`, "Rangoon Teachers"],
          [`country_${met}`, "MM"],
        ]);
        const post = (payload: URLSearchParams) =>
          app.inject({
            method: "POST",
            url: `/admin/letters/${letter.id}/listing`,
            headers: { "content-type": FORM, cookie },
            payload: payload.toString(),
          });
        const early = await post(
          new URLSearchParams([
            ["_csrf", csrf],
            ["id", String(waiting)],
            [`name_${waiting}`, "Kachin Relief"],
          ]),
        );
        expect(early.statusCode).toBe(303);
        const earlyPage = await getAs(app, early.headers.location as string, cookie);
        expect(earlyPage.body).toContain("0 listed.");
        expect(earlyPage.body).toContain("1 not listed: the condition is not met");

        const forged = await post(new URLSearchParams([["_csrf", "forged"], ["id", String(met)], ...fields]));
        expect(forged.statusCode).toBe(403);
        const listed = await post(new URLSearchParams([["_csrf", csrf], ["id", String(met)], ...fields]));
        expect(listed.statusCode).toBe(303);
        expect(listed.headers.location).toBe(`/admin/letters/${letter.id}/listing?listed=1&held=0&waiting=0`);
        const rows = await db
          .selectFrom("signatures")
          .select(["id", "visibility", "state", "display_name"])
          .where("id", "in", [met, waiting])
          .execute();
        expect(Object.fromEntries(rows.map((r) => [r.id, [r.visibility, r.state, r.display_name]]))).toEqual({
          [met]: ["listed", "approved", "Rangoon Teachers"],
          [waiting]: ["undisclosed", "confirmed", null],
        });
        const publicPage = await app.inject({ method: "GET", url: `/letters/${letter.slug}` });
        expect(publicPage.body).toContain("Rangoon Teachers");
        const audit = await db
          .selectFrom("audit_entries")
          .select(["action", "subject_id"])
          .where("action", "=", "signature.list")
          .execute();
        expect(audit).toEqual([{ action: "signature.list", subject_id: met }]);

        // Someone who may not review this campaign gets nothing.
        const stranger = await signIn(
          app,
          await insertUser(store.current(), { role: "reviewer", campaigns: [] }),
        );
        const refused = await app.inject({
          method: "GET",
          url: `/admin/letters/${letter.id}/listing`,
          headers: { cookie: stranger },
        });
        expect(refused.statusCode).toBe(403);
        await app.close();
      });
    },
  );
}
