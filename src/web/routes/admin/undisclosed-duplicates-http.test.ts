import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { assetUrl } from "../../http/static-assets.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(
    `undisclosed duplicates on the duplicates page on ${dialect.label}`,
    () => {
      const store = useStore(dialect.name);

      it("hands the browser sealed identities and listed names to compare, and never an undisclosed name", async () => {
        const { app } = await buildTestApp(store.current(), store.dataDir());
        const { db } = store.current();
        const letter = await insertSignableLetter(db);
        const key = letter.keyPair.publicKey;
        const listed = await insertEndorsement(db, letter, key, {
          name: "Org for Human Rights (Burma)",
          state: "approved",
        });
        const sealed = await insertEndorsement(db, letter, key, {
          name: "Organisation for Human Rights – Myanmar",
          visibility: "undisclosed",
        });
        // Withdrawn: holds no place, so it is not compared.
        await insertEndorsement(db, letter, key, {
          name: "Gone Away",
          visibility: "undisclosed",
          state: "withdrawn",
        });
        const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
        const page = await app.inject({
          method: "GET",
          url: `/admin/letters/${letter.id}/duplicates`,
          headers: { cookie },
        });
        expect(page.statusCode).toBe(200);
        expect(page.body).not.toContain("Organisation for Human Rights – Myanmar");
        expect(page.body).not.toContain("Gone Away");
        const rows = [...page.body.matchAll(/<tr data-id="(\d+)"[^>]*data-sealed-identity="([^"]+)"/g)];
        expect(rows.map((r) => Number(r[1]))).toEqual([sealed]);
        expect(JSON.parse(await openSealed(rows[0]![2]!, letter.keyPair)).name).toBe(
          "Organisation for Human Rights – Myanmar",
        );
        expect(page.body).toContain(
          `&quot;id&quot;:${listed},&quot;name&quot;:&quot;Org for Human Rights (Burma)&quot;`,
        );
        expect(page.body).toContain(
          `<script type="module" src="${assetUrl("admin/compare-undisclosed.js")}">`,
        );
        expect(page.body).toMatch(
          /<template data-merge-form="true"><form method="post" action="\/admin\/letters\/\d+\/duplicates\/merge"[^>]*><input type="hidden" name="_csrf"/,
        );
        expect(String(page.headers["content-security-policy"])).toContain("'wasm-unsafe-eval'");

        const plain = await insertSignableLetter(db);
        await insertEndorsement(db, plain, plain.keyPair.publicKey, { name: "Only Listed" });
        const none = await app.inject({
          method: "GET",
          url: `/admin/letters/${plain.id}/duplicates`,
          headers: { cookie },
        });
        expect(none.body).not.toContain("data-undisclosed-comparison");
        expect(String(none.headers["content-security-policy"])).not.toContain("wasm-unsafe-eval");
        await app.close();
      });
    },
  );
}
