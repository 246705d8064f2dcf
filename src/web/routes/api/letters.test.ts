import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { countsOf } from "../../../../test/counts.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import { createExampleCampaign } from "../../../commands/create-example-campaign.ts";
import {
  EXAMPLE_LETTER,
  EXAMPLE_LISTED_ENDORSEMENTS,
  EXAMPLE_UNDISCLOSED_ENDORSEMENTS,
} from "../../../domain/example-letter.ts";

const exampleCounts = countsOf({ organisation: { listed: 40, undisclosed: 25 } });

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`letters JSON API on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;

    beforeAll(async () => {
      const test = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "https://letters.example.org",
      });
      app = test.app;
      await createExampleCampaign(test.deps, test.clock.now);
      return () => app.close();
    });

    it("lists published letters with their counts, readable from any origin", async () => {
      const res = await app.inject({ method: "GET", url: "/api/v1/letters" });
      expect(res.statusCode).toBe(200);
      expect(res.headers["access-control-allow-origin"]).toBe("*");
      expect(res.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
      const { letters } = res.json();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        slug: EXAMPLE_LETTER.slug,
        url: `https://letters.example.org/letters/${EXAMPLE_LETTER.slug}`,
        letterDate: "2025-10-06",
        publicationDate: "2025-10-20",
        language: "en",
        counts: exampleCounts,
        campaign: { slug: "example-campaign", isExample: true },
      });
    });

    it("returns one letter with counts matching its signatures, in the language asked for", async () => {
      const res = await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}?lang=my` });
      expect(res.statusCode).toBe(200);
      expect(res.headers["access-control-allow-origin"]).toBe("*");
      const letter = res.json();
      expect(letter.counts).toEqual(exampleCounts);
      expect(letter.language).toBe("my");
      expect(letter.languages).toEqual(["en", "my"]);
      expect(letter.title).toMatch(/^မြန်မာနိုင်ငံသို့/);
      expect(letter.addressees).toHaveLength(2);
    });

    it("gives the whole letter: body, closing and endnotes as written and rendered, the count statement as shown, its translations", async () => {
      const en = (await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}` })).json();
      expect(en.body.markdown).toContain("[^nonrefoulement]:");
      expect(en.body.html).toContain('href="#note-i"');
      expect(en.body.html).not.toContain("[^");
      expect(en.body.language).toBe("en");
      expect(en.closing.markdown.length).toBeGreaterThan(0);
      expect(en.endnotes.count).toBe(13);
      expect(en.endnotes.html).toMatch(/^<ol/);
      expect(en.endnotes.html).toContain("Non-refoulement in Southeast Asia");
      expect(en.countStatement).toEqual({
        text: expect.stringContaining("65"),
        language: "en",
        template: null,
      });
      const page = (await app.inject({ method: "GET", url: `/letters/${EXAMPLE_LETTER.slug}` })).body;
      expect(page).toContain(en.countStatement.text);
      expect(en.translations).toEqual([
        {
          language: "en",
          url: `https://letters.example.org/letters/${EXAMPLE_LETTER.slug}?lang=en`,
          api: `https://letters.example.org/api/v1/letters/${EXAMPLE_LETTER.slug}?lang=en`,
        },
        {
          language: "my",
          url: `https://letters.example.org/letters/${EXAMPLE_LETTER.slug}?lang=my`,
          api: `https://letters.example.org/api/v1/letters/${EXAMPLE_LETTER.slug}?lang=my`,
        },
      ]);
      const my = (
        await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}?lang=my` })
      ).json();
      expect(my.countStatement.text).toContain("၆၅");
      expect(my.countStatement.language).toBe("my");
    });

    it("never includes an undisclosed identity, a contact or an unapproved endorsement", async () => {
      const bodies = [
        (await app.inject({ method: "GET", url: "/api/v1/letters" })).body,
        (await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}` })).body,
        (await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}?lang=my` })).body,
      ].join("\n");
      const forbidden = [
        ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS.flatMap((e) => [e.name, e.email]),
        ...EXAMPLE_LISTED_ENDORSEMENTS.map((e) => e.email),
        "sealed_identity",
        "sealed_contact",
      ];
      for (const secret of forbidden) expect(bodies).not.toContain(secret);
    });

    it("answers 404 in JSON for unknown slugs and for letters that are not public", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const draft = await insertLetter(db, { campaignId: campaign.id, state: "draft" });
      for (const slug of ["no-such-letter", draft.slug, "Not_A_Slug"]) {
        const res = await app.inject({ method: "GET", url: `/api/v1/letters/${slug}` });
        expect(res.statusCode).toBe(404);
        expect(res.headers["content-type"]).toMatch(/^application\/json/);
        expect(res.headers["access-control-allow-origin"]).toBe("*");
        expect(res.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
      }
      const list = (await app.inject({ method: "GET", url: "/api/v1/letters" })).json();
      expect(list.letters.map((l: { slug: string }) => l.slug)).not.toContain(draft.slug);
    });
  });
}
