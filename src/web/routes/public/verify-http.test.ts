import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { integrateLog } from "../../../commands/integrate-log.ts";
import { ensureLogKey } from "../../../store/transparency-log.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the verify page on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("tells readers where the count comes from, and offers the receipt check only to the page's script", async () => {
      const { app, clock } = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "https://letters.example.org",
      });
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const before = await app.inject({ method: "GET", url: `/letters/${letter.slug}/verify` });
      expect(before.statusCode).toBe(200);
      expect(before.body).toContain("This letter is not in the log yet");

      const { signer } = await ensureLogKey(
        db,
        { origin: "letters.example.org/log", configuredKey: undefined },
        clock.now,
      );
      await integrateLog({ db, signer }, clock.now);
      const page = await app.inject({ method: "GET", url: `/letters/${letter.slug}/verify?lang=en` });
      expect(page.statusCode).toBe(200);
      const name = /data-log-letter="([^"]+)"/.exec(page.body)![1]!;
      expect(page.body).toContain(
        `come from the first 1 entries of the log, where this letter is named “${name}”`,
      );
      expect(page.body).toContain(
        `npx undersigned verify --log https://letters.example.org/log --letter ${name}`,
      );
      // No action and hidden: without the script, nothing can post a receipt to the server.
      expect(page.body).toMatch(/<form class="stack" hidden[^>]* data-verify-receipt/);
      expect(page.body).not.toMatch(/<form[^>]*data-verify-receipt[^>]*(action|method)=/);
      expect(page.body).toContain("<noscript>");
      expect(page.body).toMatch(/<script type="module" src="\/assets\/log\/verify-receipt\.[0-9a-f]+\.js">/);
      expect(page.body).toContain(
        `data-msg-ok-signed="The receipt's checkpoint is signed by this log's key."`,
      );

      // The letter page and its print view (the PDF's source) say so after the count sentence.
      const letterPage = await app.inject({ method: "GET", url: `/letters/${letter.slug}?lang=en` });
      expect(letterPage.body).toMatch(
        new RegExp(
          `class="count-statement"[^>]*>[^<]*</p><p class="log-proof muted" lang="en">These counts are the public log's at 1 entries, which anyone can recount\\. <a href="/letters/${letter.slug}/verify">How to check them</a></p>`,
        ),
      );
      const print = await app.inject({ method: "GET", url: `/letters/${letter.slug}/print?lang=en` });
      expect(print.body).toContain(`Check them at https://letters.example.org/letters/${letter.slug}/verify`);

      const burmese = await app.inject({ method: "GET", url: `/letters/${letter.slug}/verify?lang=my` });
      expect(burmese.body).toContain("သင့်ပြေစာကို စစ်ဆေးရန်");
      expect((await app.inject({ method: "GET", url: "/letters/no-such-letter/verify" })).statusCode).toBe(
        404,
      );
      await app.close();
    });
  });
}
