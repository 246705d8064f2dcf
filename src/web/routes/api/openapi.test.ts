import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../../../test/letter-factory.ts";
import { postEnglishUpdate } from "../../../../test/letter-updates.ts";
import { insertEmailDelivery } from "../../../../test/tracker-factory.ts";
import { openApiDocument } from "./openapi.ts";

const DOCUMENT_ID = "urn:undersigned:openapi";

/** A JSON Schema 2020-12 validator that resolves the document's own `#/components/schemas/…` references. */
function responseValidator(document: unknown) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...(document as object), $id: DOCUMENT_ID });
  return (ref: string, body: unknown) => {
    const validate = ajv.compile({ $ref: `${DOCUMENT_ID}${ref}` });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

type Operation = { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> };

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(openApiDocument) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator is not a rubber stamp: a document without its info block is refused.
    const { info: _info, ...broken } = structuredClone(openApiDocument);
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`every documented GET route on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("answers as its schema says, readable from any origin, for a seeded letter in both languages", async () => {
      const { app, deps, clock } = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "https://letters.example",
      });
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        categories: ["Myanmar", "regional"],
        translations: [
          {
            language: "en",
            title: "Open letter",
            addressees: [{ heading: "The Defence Ministers of", names: ["Thailand", "Cambodia"] }],
          },
          { language: "my", title: "ပွင့်လင်းပေးစာ" },
        ],
      });
      await insertSignatures(db, letter, [
        { displayName: "Athan Media", category: "Myanmar", country: "MM", website: "https://athan.example" },
        { displayName: "ကရင် အမျိုးသမီး အစည်းအရုံး", category: "Myanmar", country: "TH" },
        { displayName: "Regional Forum", category: "regional", website: "javascript:alert(1)" },
        { visibility: "undisclosed" },
        { displayName: "Pending", state: "confirmed" },
      ]);
      const at = "2026-02-01T10:00:00.000Z";
      const recipient = await db
        .insertInto("recipients")
        .values({
          letter_id: letter.id,
          name: "Minister of Defence",
          office: "Ministry of Defence",
          country: "TH",
          addressee_group: "The Defence Ministers of",
          emails: '["minister@gov.example"]',
          postal_address: "Secret street 1",
          notes: "private note",
          position: 1,
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("recipients")
        .values({
          letter_id: letter.id,
          name: "Foreign Minister",
          emails: "[]",
          position: 2,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await insertEmailDelivery(db, { letterId: letter.id, recipientId: recipient.id, state: "sent", at });
      await db
        .insertInto("responses")
        .values({
          letter_id: letter.id,
          recipient_id: recipient.id,
          received_at: "2026-02-10",
          summary: "Declined to attend.",
          is_public: 1,
          created_at: at,
        })
        .execute();
      const stance = await db
        .insertInto("stances")
        .values({
          campaign_id: campaign.id,
          label: "declined to attend",
          translations: JSON.stringify({ my: "တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်" }),
          created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("recipient_stances")
        .values({ recipient_id: recipient.id, stance_id: stance.id, created_at: at })
        .execute();
      await postEnglishUpdate(deps, letter.id, { title: "Delivered", body: "Handed **in**." }, clock.now);

      const validate = responseValidator(openApiDocument);
      expect(validate("#/components/schemas/Tracker", { letter: "x" })).not.toEqual([]);
      const paths = Object.entries(openApiDocument.paths) as [string, { get: Operation }][];
      expect(paths.length).toBe(6);
      const bodies = new Map<string, unknown>();
      for (const [template, { get }] of paths) {
        for (const lang of ["en", "my"]) {
          const url = `${template.replace("{slug}", letter.slug)}?lang=${lang}`;
          const response = await app.inject({
            method: "GET",
            url,
            headers: { origin: "https://news.example" },
          });
          expect([url, response.statusCode]).toEqual([url, 200]);
          expect([url, response.headers["access-control-allow-origin"]]).toEqual([url, "*"]);
          expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
          const ref = get.responses["200"]!.content!["application/json"]!.schema.$ref;
          const body = response.json();
          expect([url, validate(ref, body)]).toEqual([url, []]);
          bodies.set(`${template} ${lang}`, body);
        }
        if (template.includes("{slug}")) {
          const missing = await app.inject({
            method: "GET",
            url: template.replace("{slug}", "no-such-letter"),
          });
          expect(missing.statusCode).toBe(404);
          expect(missing.headers["access-control-allow-origin"]).toBe("*");
          expect(
            validate(get.responses["404"]!.content!["application/json"]!.schema.$ref, missing.json()),
          ).toEqual([]);
        }
      }

      const tracker = bodies.get("/api/v1/letters/{slug}/tracker my") as {
        statement: string;
        counts: unknown;
        recipients: { stances: { label: string }[] }[];
      };
      expect(tracker.counts).toEqual({ recipients: 2, delivered: 1, responded: 1 });
      expect(tracker.recipients[0]!.stances[0]!.label).toBe("တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်");
      const trackerText = JSON.stringify(bodies.get("/api/v1/letters/{slug}/tracker en"));
      for (const secret of ["minister@gov.example", "Secret street", "private note"])
        expect(trackerText).not.toContain(secret);
      const signatories = bodies.get("/api/v1/letters/{slug}/signatories en") as {
        matching: number;
        signatories: { name: string; website: string | null }[];
      };
      expect(signatories.matching).toBe(3);
      expect(signatories.signatories.find((s) => s.name === "Regional Forum")!.website).toBeNull();
      expect(JSON.stringify(signatories)).not.toContain("Pending");
      const updates = bodies.get("/api/v1/letters/{slug}/updates en") as {
        updates: { html: string }[];
        feed: string;
      };
      expect(updates.updates[0]!.html).toContain("<strong>in</strong>");
      expect(updates.feed).toBe(`https://letters.example/letters/${letter.slug}/updates.atom`);

      // The same search as the public list: case- and script-insensitive, with filters and pages.
      const search = await app.inject({
        method: "GET",
        url: `/api/v1/letters/${letter.slug}/signatories?q=ATHAN&category=Myanmar`,
      });
      expect((search.json() as { signatories: { name: string }[] }).signatories.map((s) => s.name)).toEqual([
        "Athan Media",
      ]);
      expect(
        (await app.inject({ method: "GET", url: `/api/v1/letters/${letter.slug}/signatories?page=2` }))
          .statusCode,
      ).toBe(404);
      expect(
        (await app.inject({ method: "GET", url: `/api/v1/letters/${letter.slug}/signatories?page=0` }))
          .statusCode,
      ).toBe(400);
      await app.close();
    });

    it("answers a cross-origin preflight for GET only", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const preflight = (method: string) =>
        app.inject({
          method: "OPTIONS",
          url: "/api/v1/letters",
          headers: { origin: "https://news.example", "access-control-request-method": method },
        });
      const get = await preflight("GET");
      expect(get.statusCode).toBe(204);
      expect(get.headers["access-control-allow-origin"]).toBe("*");
      expect(get.headers["access-control-allow-methods"]).toBe("GET, HEAD, OPTIONS");
      const post = await preflight("POST");
      expect(post.statusCode).toBe(405);
      expect(post.headers["access-control-allow-origin"]).toBeUndefined();
      await app.close();
    });
  });
}
