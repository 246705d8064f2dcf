import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp, type TestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import { createMailTransport } from "../../../mail/transports.ts";
import { startOutboxWorker } from "../../../mail/worker.ts";
import { findChromium } from "../../../pdf/chromium.ts";

/*
 * Recipients & delivery as a coordinator uses it, without script: forms posted as a browser posts them, the
 * PDF printed by the real Chromium through the public PDF route, mail sent by the real worker to the local
 * mailbox, and the public letter page's tracker changing with each step, in English and Burmese.
 */

const chromium = findChromium(process.env.CHROMIUM_PATH);
const skipNote = chromium ? "" : " (skipped: no Chromium found)";

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return body.toString();
};

function multipart(fields: Record<string, string>, file?: { name: string; filename: string; bytes: Buffer }) {
  const boundary = "----undersigned-recipients-test";
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from("\r\n"),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(
    `recipients and delivery over HTTP on ${dialect.label}${skipNote}`,
    () => {
      const store = useStore(dialect.name);
      let test: TestApp;
      let app: FastifyInstance;

      beforeAll(async () => {
        test = await buildTestApp(store.current(), store.dataDir(), {
          BASE_URL: "https://letters.example.org",
        });
        app = test.app;
        // Chromium fetches the print view from this app when the delivery asks for the PDF.
        await app.listen({ port: 0, host: "127.0.0.1" });
      }, 60_000);
      afterAll(() => app.close());

      const page = async (url: string, cookie?: string) => {
        const response = await app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
        expect(response.statusCode).toBe(200);
        return response.body;
      };
      const tracker = (html: string) => /<p class="tracker-statement">([^<]*)<\/p>/.exec(html)?.[1];

      it.skipIf(!chromium)(
        "adds recipients, delivers with the printed PDF, records deliveries, responses and stances; the tracker follows",
        async () => {
          const { db } = store.current();
          const campaign = await insertCampaign(db);
          const letter = await insertLetter(db, {
            campaignId: campaign.id,
            translations: [
              { language: "en", title: "Stop the arms flow", body: "We ask for an embargo." },
              { language: "my", title: "လက်နက်စီးဆင်းမှုကို ရပ်တန့်ပါ", body: "ကျွန်ုပ်တို့ တောင်းဆိုပါသည်။" },
            ],
          });
          const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
          const base = `/admin/letters/${letter.id}/recipients`;
          const list = await page(base, cookie);
          const csrf = csrfOf(list);
          const post = (url: string, fields: Record<string, string | string[]>) =>
            app.inject({
              method: "POST",
              url,
              headers: { "content-type": FORM, cookie },
              payload: form({ _csrf: csrf, ...fields }),
            });

          // A typo comes back with the message beside the field and everything typed still there.
          const refused = await post(base, {
            name: "Defence Minister",
            country: "Thailand",
            emails: "minister at mod",
          });
          expect(refused.statusCode).toBe(400);
          expect(refused.body).toContain("One of these is not an email address like name@example.org.");
          expect(refused.body).toContain('value="Thailand"');
          expect(refused.body).toContain(">minister at mod</textarea>");

          const added = await post(base, {
            name: "Defence Minister",
            country: "Thailand",
            addresseeGroup: "The Defence Ministers of",
            emails: "minister@mod.example.go.th",
          });
          expect(added.statusCode).toBe(303);
          const imported = await post(`${base}/import`, {
            csv: "name,country,addressee_group\nSpecial Envoy,Indonesia,The Envoys of\n,Nowhere,",
          });
          expect(imported.statusCode).toBe(200);
          expect(imported.body).toContain("Imported 1, already on the list 0, refused 1.");
          expect(imported.body).toContain("Record 3: — · refused");

          const recipients = await db
            .selectFrom("recipients")
            .select(["id", "name"])
            .where("letter_id", "=", letter.id)
            .orderBy("id")
            .execute();
          const [minister, envoy] = recipients.map((r) => r.id);
          // Nothing delivered yet: no tracker on the public page.
          expect(tracker(await page(`/letters/${letter.slug}`))).toBeUndefined();

          const delivered = await post(`${base}/deliver`, { recipient: [String(minister), String(envoy)] });
          expect(delivered.statusCode).toBe(200);
          expect(delivered.body).toContain("The letter and its PDF are queued for 1 recipient.");
          expect(delivered.body).toContain("Not sent, no email address: Special Envoy.");
          const queued = await db
            .selectFrom("deliveries")
            .innerJoin("outbox_messages", "outbox_messages.id", "deliveries.outbox_message_id")
            .select(["deliveries.pdf_sha256", "outbox_messages.attachments"])
            .where("deliveries.letter_id", "=", letter.id)
            .executeTakeFirstOrThrow();
          const attachment = JSON.parse(queued.attachments)[0] as { path: string };
          const pdf = readFileSync(attachment.path);
          expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
          expect(createHash("sha256").update(pdf).digest("hex")).toBe(queued.pdf_sha256);
          // The same version twice is refused with the reason, and the ticks are kept.
          const again = await post(`${base}/deliver`, { recipient: String(minister) });
          expect(again.statusCode).toBe(409);
          expect(again.body).toContain("This version was already sent to: Defence Minister.");
          expect(again.body).toMatch(new RegExp(`value="${minister}"[^>]*checked`));

          const worker = startOutboxWorker({
            db,
            dialect: store.current().dialect,
            transport: createMailTransport({
              smtpUrl: undefined,
              dataDir: store.dataDir(),
              from: "letters@example.org",
            }),
            log: test.deps.log,
            now: () => test.clock.now,
            announce: () => {},
            pollMs: 60_000,
          });
          await worker.drain();
          await worker.stop();
          expect(
            (await page(base, cookie)).match(/<strong class="delivery-sent">sent<\/strong>/g),
          ).toHaveLength(1);
          expect(tracker(await page(`/letters/${letter.slug}`))).toBe(
            "To date, neither recipient has responded.",
          );

          const manual = await post(`${base}/${envoy}/deliveries`, {
            method: "hand",
            deliveredOn: "2026-02-27",
            deliveryNote: "at the ASEAN summit",
          });
          expect(manual.statusCode).toBe(303);
          const wrong = await post(`${base}/${envoy}/deliveries`, {
            method: "hand",
            deliveredOn: "yesterday",
            deliveryNote: "kept",
          });
          expect(wrong.statusCode).toBe(400);
          expect(wrong.body).toContain("Enter a date like 2026-03-01 that is not in the future.");
          expect(wrong.body).toContain(">kept</textarea>");

          const reply = await PDFDocument.create();
          reply.addPage([200, 100]);
          reply.setAuthor("Ministry clerk");
          const document = Buffer.from(await reply.save());
          const upload = multipart(
            {
              _csrf: csrf,
              receivedOn: "2026-02-28",
              summary: "The ministry declined to meet the coalition.",
              isPublic: "1",
            },
            { name: "document", filename: "reply.pdf", bytes: document },
          );
          const responded = await app.inject({
            method: "POST",
            url: `${base}/${minister}/responses`,
            headers: { "content-type": upload.type, cookie },
            payload: upload.payload,
          });
          expect(responded.statusCode).toBe(303);
          const badFile = multipart(
            { _csrf: csrf, receivedOn: "2026-02-28", summary: "Scan", isPublic: "1" },
            { name: "document", filename: "reply.pdf", bytes: Buffer.from("<script>alert(1)</script>") },
          );
          const refusedFile = await app.inject({
            method: "POST",
            url: `${base}/${envoy}/responses`,
            headers: { "content-type": badFile.type, cookie },
            payload: badFile.payload,
          });
          expect(refusedFile.statusCode).toBe(400);
          expect(refusedFile.body).toContain("The document must be a PDF, PNG, JPEG or WebP file.");
          expect(refusedFile.body).toContain(">Scan</textarea>");

          const stance = await post(`/admin/campaigns/${campaign.slug}/stances`, {
            label: "declined to attend",
            en: "declined to attend",
            my: "တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်",
          });
          expect(stance.statusCode).toBe(303);
          const { id: stanceId } = await db
            .selectFrom("stances")
            .select("id")
            .where("campaign_id", "=", campaign.id)
            .executeTakeFirstOrThrow();
          expect((await post(`${base}/${minister}/stances`, { stance: String(stanceId) })).statusCode).toBe(
            303,
          );

          const english = await page(`/letters/${letter.slug}`);
          expect(tracker(english)).toBe("To date, 1 of 2 recipients has not responded.");
          expect(english).toContain("Delivered by hand on 27 February 2026");
          expect(english).toContain("The ministry declined to meet the coalition.");
          expect(english).toContain("<li>declined to attend</li>");
          expect(english).not.toContain("minister@mod");
          expect(english).not.toContain("ASEAN summit");
          const burmese = await page(`/letters/${letter.slug}?lang=my`);
          expect(tracker(burmese)).toBe("ယနေ့အထိ လက်ခံသူ ၂ ဦးအနက် ၁ ဦးက တုံ့ပြန်ခြင်း မရှိသေးပါ။");
          expect(burmese).toContain("<li>တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်</li>");

          const link = /href="(\/letters\/[^"]+\/responses\/\d+\/document)"/.exec(english)![1]!;
          const served = await app.inject({ method: "GET", url: link });
          expect(served.statusCode).toBe(200);
          expect(served.headers["content-type"]).toBe("application/pdf");
          // Served as stored: the same pages, without the author the ministry's software wrote.
          const servedPdf = await PDFDocument.load(served.rawPayload, { updateMetadata: false });
          expect([servedPdf.getPageCount(), servedPdf.getAuthor()]).toEqual([1, undefined]);
          // Made private, the document is no longer served.
          await db.updateTable("responses").set({ is_public: 0 }).execute();
          expect((await app.inject({ method: "GET", url: link })).statusCode).toBe(404);
        },
        120_000,
      );

      it("refuses to deliver without Chromium, clearly, queueing nothing", async () => {
        const without = await buildTestApp(store.current(), store.dataDir(), {
          CHROMIUM_PATH: "/nonexistent/chromium",
        });
        try {
          const { db } = store.current();
          const campaign = await insertCampaign(db);
          const letter = await insertLetter(db, { campaignId: campaign.id });
          const { id } = await db
            .insertInto("recipients")
            .values({
              letter_id: letter.id,
              name: "Defence Minister",
              emails: '["minister@example.org"]',
              position: 1,
              created_at: "2026-01-01T00:00:00.000Z",
              updated_at: "2026-01-01T00:00:00.000Z",
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          const cookie = await signIn(without.app, await insertUser(store.current(), { role: "owner" }));
          const list = await without.app.inject({
            method: "GET",
            url: `/admin/letters/${letter.id}/recipients`,
            headers: { cookie },
          });
          const refused = await without.app.inject({
            method: "POST",
            url: `/admin/letters/${letter.id}/recipients/deliver`,
            headers: { "content-type": FORM, cookie },
            payload: form({ _csrf: csrfOf(list.body), recipient: String(id) }),
          });
          expect(refused.statusCode).toBe(503);
          expect(refused.body).toContain("Nothing was sent: the server has no Chromium to print the letter");
          expect(
            await db.selectFrom("deliveries").select("id").where("letter_id", "=", letter.id).execute(),
          ).toEqual([]);

          // A reviewer may not open the page at all.
          const reviewer = await signIn(without.app, await insertUser(store.current(), { role: "reviewer" }));
          const forbidden = await without.app.inject({
            method: "GET",
            url: `/admin/letters/${letter.id}/recipients`,
            headers: { cookie: reviewer },
          });
          expect(forbidden.statusCode).toBe(403);
        } finally {
          await without.app.close();
        }
      });

      it("reorders recipients and renames and removes stances; the console and the public tracker follow", async () => {
        const { db } = store.current();
        const campaign = await insertCampaign(db);
        const letter = await insertLetter(db, {
          campaignId: campaign.id,
          translations: [
            { language: "en", title: "Order matters", body: "We ask." },
            { language: "my", title: "အစီအစဉ်", body: "တောင်းဆိုပါသည်။" },
          ],
        });
        const other = await insertLetter(db, { campaignId: campaign.id });
        const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
        const base = `/admin/letters/${letter.id}/recipients`;
        const csrf = csrfOf(await page(base, cookie));
        const post = (url: string, fields: Record<string, string | string[]>, token = csrf) =>
          app.inject({
            method: "POST",
            url,
            headers: { "content-type": FORM, cookie },
            payload: form({ _csrf: token, ...fields }),
          });
        for (const name of ["Alpha Minister", "Bravo Envoy", "Charlie Secretary"])
          expect((await post(base, { name, addresseeGroup: "The Ministers of" })).statusCode).toBe(303);
        expect((await post(`/admin/letters/${other.id}/recipients`, { name: "Elsewhere" })).statusCode).toBe(
          303,
        );
        const idOf = async (name: string) =>
          (
            await db
              .selectFrom("recipients")
              .select("id")
              .where("name", "=", name)
              .orderBy("id", "desc")
              .executeTakeFirstOrThrow()
          ).id;
        const [alpha, bravo, charlie, elsewhere] = await Promise.all(
          ["Alpha Minister", "Bravo Envoy", "Charlie Secretary", "Elsewhere"].map(idOf),
        );
        expect(
          (await post(`${base}/${alpha}/deliveries`, { method: "hand", deliveredOn: "2026-02-27" }))
            .statusCode,
        ).toBe(303);
        const names = ["Alpha Minister", "Bravo Envoy", "Charlie Secretary"];
        const order = (html: string) =>
          names
            .map((n) => ({ n, at: html.indexOf(n) }))
            .sort((x, y) => x.at - y.at)
            .map((x) => x.n);
        const publicPage = () => page(`/letters/${letter.slug}`);
        expect(order(await publicPage())).toEqual(names);

        // Up and down are buttons of plain forms; the first cannot go up, the last cannot go down.
        const list = await page(base, cookie);
        expect(order(list)).toEqual(names);
        expect(list).toContain(`<form method="post" action="${base}/${charlie}/move"`);
        expect(list).toMatch(new RegExp(`form="move-${alpha}" name="direction" value="up" disabled`));
        expect(list).toMatch(new RegExp(`form="move-${charlie}" name="direction" value="down" disabled`));
        expect(list).not.toMatch(new RegExp(`form="move-${bravo}" name="direction" value="up" disabled`));

        const moved = await post(`${base}/${charlie}/move`, { direction: "up" });
        expect(moved.statusCode).toBe(303);
        expect(moved.headers.location).toBe(`${base}?notice=moved#r-${charlie}`);
        const after = await page(`${base}?notice=moved`, cookie);
        expect(after).toContain("The order of the recipients has been changed.");
        expect(order(after)).toEqual(["Alpha Minister", "Charlie Secretary", "Bravo Envoy"]);
        // The public page was cached before the move; it shows the new order at once.
        expect(order(await publicPage())).toEqual(["Alpha Minister", "Charlie Secretary", "Bravo Envoy"]);
        expect((await post(`${base}/${alpha}/move`, { direction: "down" })).statusCode).toBe(303);
        expect(order(await publicPage())).toEqual(["Charlie Secretary", "Alpha Minister", "Bravo Envoy"]);

        const first = await post(`${base}/${charlie}/move`, { direction: "up" });
        expect(first.statusCode).toBe(409);
        expect(first.body).toContain("This recipient is already first on the list.");
        const last = await post(`${base}/${bravo}/move`, { direction: "down" });
        expect(last.statusCode).toBe(409);
        expect(last.body).toContain("This recipient is already last on the list.");
        expect((await post(`${base}/${bravo}/move`, { direction: "sideways" })).statusCode).toBe(400);
        expect((await post(`${base}/${elsewhere}/move`, { direction: "up" })).statusCode).toBe(404);
        expect((await post(`${base}/${bravo}/move`, { direction: "up" }, "forged")).statusCode).toBe(403);
        expect(order(await page(base, cookie))).toEqual([
          "Charlie Secretary",
          "Alpha Minister",
          "Bravo Envoy",
        ]);

        // A stance, tagged on two recipients, renamed, then removed.
        const stances = `/admin/campaigns/${campaign.slug}/stances`;
        expect((await post(stances, { label: "declined", en: "declined", my: "ငြင်းဆိုသည်" })).statusCode).toBe(
          303,
        );
        const { id: stanceId } = await db
          .selectFrom("stances")
          .select("id")
          .where("campaign_id", "=", campaign.id)
          .executeTakeFirstOrThrow();
        for (const id of [alpha, charlie])
          expect((await post(`${base}/${id}/stances`, { stance: String(stanceId) })).statusCode).toBe(303);
        expect(await publicPage()).toContain("<li>declined</li>");

        const p = `s${stanceId}-`;
        const blank = await post(`${stances}/${stanceId}`, {
          [`${p}label`]: " ",
          [`${p}en`]: "kept in English",
          [`${p}my`]: "မြန်မာ",
        });
        expect(blank.statusCode).toBe(400);
        expect(blank.body).toContain('value="kept in English"');
        expect(blank.body).toContain('value="မြန်မာ"');
        const renamed = await post(`${stances}/${stanceId}`, {
          [`${p}label`]: "declined to attend",
          [`${p}en`]: "declined to attend",
          [`${p}my`]: "တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်",
        });
        expect(renamed.statusCode).toBe(303);
        expect(await publicPage()).toContain("<li>declined to attend</li>");
        expect(await page(`/letters/${letter.slug}?lang=my`)).toContain("<li>တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်</li>");

        const stancesPage = await page(stances, cookie);
        expect(stancesPage).toContain(`href="${stances}/${stanceId}/remove"`);
        const confirm = await page(`${stances}/${stanceId}/remove`, cookie);
        expect(confirm).toContain("2 recipients carry this stance.");
        expect(confirm).toContain(`<form method="post" action="${stances}/${stanceId}/remove"`);
        const forged = await post(`${stances}/${stanceId}/remove`, {}, "forged");
        expect(forged.statusCode).toBe(403);
        expect(forged.body).toContain("2 recipients carry this stance.");

        // Another campaign's stance is not this campaign's to remove; a reviewer may not remove any.
        const otherCampaign = await insertCampaign(db);
        const { id: foreign } = await db
          .insertInto("stances")
          .values({
            campaign_id: otherCampaign.id,
            label: "foreign",
            translations: "{}",
            created_at: "2026-01-01T00:00:00.000Z",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        expect(
          (await app.inject({ method: "GET", url: `${stances}/${foreign}/remove`, headers: { cookie } }))
            .statusCode,
        ).toBe(404);
        expect((await post(`${stances}/${foreign}/remove`, {})).statusCode).toBe(404);
        expect((await post(`${stances}/${foreign}`, { [`s${foreign}-label`]: "mine now" })).statusCode).toBe(
          404,
        );
        const reviewerUser = await insertUser(store.current(), {
          role: "reviewer",
          campaigns: [campaign.id],
        });
        const reviewer = await signIn(app, reviewerUser);
        const reviewerPage = await app.inject({
          method: "GET",
          url: "/admin",
          headers: { cookie: reviewer },
        });
        for (const [url, fields] of [
          [`${stances}/${stanceId}/remove`, {}],
          [`${stances}/${stanceId}`, { [`${p}label`]: "renamed by a reviewer" }],
          [`${base}/${bravo}/move`, { direction: "up" }],
        ] as const) {
          const refused = await app.inject({
            method: "POST",
            url,
            headers: { "content-type": FORM, cookie: reviewer },
            payload: form({ _csrf: csrfOf(reviewerPage.body), ...fields }),
          });
          expect(refused.statusCode).toBe(403);
          expect(refused.body).toContain("You do not have permission to do that.");
        }
        expect(
          (
            await app.inject({
              method: "GET",
              url: `${stances}/${stanceId}/remove`,
              headers: { cookie: reviewer },
            })
          ).statusCode,
        ).toBe(403);

        const removed = await post(`${stances}/${stanceId}/remove`, {});
        expect(removed.statusCode).toBe(303);
        expect(removed.headers.location).toBe(`${stances}?notice=removed`);
        expect(await page(`${stances}?notice=removed`, cookie)).toContain("The stance has been removed.");
        expect(
          await db
            .selectFrom("recipient_stances")
            .select("stance_id")
            .where("stance_id", "=", stanceId)
            .execute(),
        ).toEqual([]);
        const english = await publicPage();
        expect(english).not.toContain("declined to attend");
        expect(await page(`/letters/${letter.slug}?lang=my`)).not.toContain("တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်");
        expect(order(english)).toEqual(["Charlie Secretary", "Alpha Minister", "Bravo Envoy"]);
        const audit = await db
          .selectFrom("audit_entries")
          .select(["action", "detail"])
          .where("campaign_id", "=", campaign.id)
          .where("action", "in", ["stance.update", "stance.remove", "recipient.move"])
          .orderBy("id")
          .execute();
        expect(audit.map((e) => [e.action, JSON.parse(e.detail)])).toEqual([
          ["recipient.move", { name: "Charlie Secretary", direction: "up", position: 2 }],
          ["recipient.move", { name: "Alpha Minister", direction: "down", position: 2 }],
          ["stance.update", { label: "declined to attend" }],
          ["stance.remove", { label: "declined to attend", recipients: 2, letters: 1 }],
        ]);
      });
    },
  );
}
