import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, signIn } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertLetterInNewCampaign } from "../../../../test/letter-factory.ts";
import { form, useRecipientsConsole } from "../../../../test/recipients-console.ts";
import { expectRefusedSaying } from "../../../../test/refused-forms.ts";
import { createMailTransport } from "../../../mail/transports.ts";
import { startOutboxWorker } from "../../../mail/worker.ts";
import { findChromium } from "../../../pdf/chromium.ts";

/*
 * Recipients & delivery as a coordinator uses it, without script: forms posted as a browser posts them, the
 * PDF printed by the real Chromium from HTML rendered in process (no HTTP loop), mail sent by the real worker
 * to the local mailbox, and the public letter page's tracker changing with each step, in English and Burmese.
 */

const chromium = findChromium(process.env.CHROMIUM_PATH);
const skipNote = chromium ? "" : " (skipped: no Chromium found)";

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
      const { store, app, test, page } = useRecipientsConsole(dialect.name);
      const tracker = (html: string) => /<p class="tracker-statement">([^<]*)<\/p>/.exec(html)?.[1];

      it.skipIf(!chromium)(
        "adds recipients, delivers with the printed PDF, records deliveries, responses and stances; the tracker follows",
        async () => {
          const { db } = store.current();
          const { campaign, letter } = await insertLetterInNewCampaign(db, [
            { language: "en", title: "Stop the arms flow", body: "We ask for an embargo." },
            { language: "my", title: "လက်နက်စီးဆင်းမှုကို ရပ်တန့်ပါ", body: "ကျွန်ုပ်တို့ တောင်းဆိုပါသည်။" },
          ]);
          const cookie = await signIn(app(), await insertUser(store.current(), { role: "owner" }));
          const base = `/admin/letters/${letter.id}/recipients`;
          const list = await page(base, cookie);
          const csrf = csrfOf(list);
          const post = (url: string, fields: Record<string, string | string[]>) =>
            app().inject({
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
          expectRefusedSaying(refused, [
            "One of these is not an email address like name@example.org.",
            'value="Thailand"',
            ">minister at mod</textarea>",
          ]);

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

          // The first press shows the mail as officials will get it, and sends nothing.
          const preview = await post(`${base}/deliver`, {
            recipient: [String(minister), String(envoy)],
            reply_to: "coalition@example.org",
          });
          expect(preview.statusCode).toBe(200);
          expect(preview.body).toContain("The mail as officials will receive it");
          expect(preview.body).toContain("Reply-To: coalition@example.org");
          expect(preview.body).toMatch(/<section class="mail-preview"[\s\S]*<h1>/);
          expect(preview.body).toMatch(new RegExp(`value="${minister}"[^>]*checked`));
          expect(
            await db.selectFrom("deliveries").select("id").where("letter_id", "=", letter.id).execute(),
          ).toEqual([]);
          const badReplyTo = await post(`${base}/deliver`, {
            recipient: String(minister),
            reply_to: "not an address",
            step: "send",
          });
          expectRefusedSaying(badReplyTo, [
            "Enter an email address like coalition@example.org",
            'value="not an address"',
          ]);

          const delivered = await post(`${base}/deliver`, {
            recipient: [String(minister), String(envoy)],
            reply_to: "coalition@example.org",
            step: "send",
          });
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
          const again = await post(`${base}/deliver`, { recipient: String(minister), step: "send" });
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
            log: test().deps.log,
            now: () => test().clock.now,
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
          expectRefusedSaying(wrong, [
            "Enter a date like 2026-03-01 that is not in the future.",
            ">kept</textarea>",
          ]);

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
          const responded = await app().inject({
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
          const refusedFile = await app().inject({
            method: "POST",
            url: `${base}/${envoy}/responses`,
            headers: { "content-type": badFile.type, cookie },
            payload: badFile.payload,
          });
          expectRefusedSaying(refusedFile, [
            "The document must be a PDF, PNG, JPEG or WebP file.",
            ">Scan</textarea>",
          ]);

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
          const served = await app().inject({ method: "GET", url: link });
          expect(served.statusCode).toBe(200);
          expect(served.headers["content-type"]).toBe("application/pdf");
          // Served as stored: the same pages, without the author the ministry's software wrote.
          const servedPdf = await PDFDocument.load(served.rawPayload, { updateMetadata: false });
          expect([servedPdf.getPageCount(), servedPdf.getAuthor()]).toEqual([1, undefined]);
          // Made private, the document is no longer served.
          await db.updateTable("responses").set({ is_public: 0 }).execute();
          expect((await app().inject({ method: "GET", url: link })).statusCode).toBe(404);
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
            payload: form({ _csrf: csrfOf(list.body), recipient: String(id), step: "send" }),
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
    },
  );
}
