import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, formSession, openAndConfirm, type TestApp } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { postEnglishUpdate } from "../../test/letter-updates.ts";
import { manageLinkOf, postSignForm, signFormOf } from "../../test/sign-form.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { approveSignature } from "../commands/approve-signature.ts";
import { runPeriodicWork } from "../commands/periodic-work.ts";
import type { SignerKey } from "../domain/tlog/note.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { ensureLogKey } from "../store/transparency-log.ts";

/*
 * The correlation test. An adversary polls every public place that shows a letter's counts while watching
 * the network; undisclosed signers withdraw and sign at known moments. Nothing public may change until the
 * letter's release, and at the release the counts must be right. Caches are flushed before every poll, so
 * what is seen is what the database gives, not a stale copy.
 */

const SETUP = new Date("2026-03-01T06:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`public counts and signers' moments on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let letter: Awaited<ReturnType<typeof insertSignableLetter>>;
    let signer: SignerKey;
    const seenLinks = new Set<string>();
    const at = (iso: string) => {
      test.clock.now = new Date(iso);
    };

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir());
      test.clock.now = SETUP;
      letter = await insertSignableLetter(store.current().db, { moderation: true });
      signer = (
        await ensureLogKey(store.current().db, { origin: "localhost/log", configuredKey: undefined }, SETUP)
      ).signer;
      return () => test.app.close();
    });

    const inject = (url: string) => test.app.inject({ method: "GET", url });

    /** Signs through the public form like a browser without JavaScript; returns the confirmation link. */
    async function sign(visibility: "listed" | "undisclosed", name: string): Promise<string> {
      const page = await inject(`/letters/${letter.slug}/sign`);
      test.clock.now = new Date(test.clock.now.getTime() + 20_000);
      const res = await postSignForm(test.app, letter.slug, signFormOf(page), {
        kind: "organisation",
        visibility,
        name,
        category: "Myanmar",
        country: "MM",
        email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.org`,
        consent: "yes",
      });
      expect(res.statusCode).toBe(303);
      // Outbox rows have no order to go by: the new mail is the one whose link was not seen before.
      const mails = await store.current().db.selectFrom("outbox_messages").select("text_body").execute();
      const links = mails.map(
        (m) => /https?:\/\/[^/\s]+(\/letters\/\S+\/confirm\/\S+)/.exec(m.text_body)?.[1],
      );
      const link = links.find((l) => l !== undefined && !seenLinks.has(l));
      if (!link) throw new Error("no new confirmation mail");
      seenLinks.add(link);
      return link;
    }

    /** Confirms from the link and returns the private manage path and the signature's id. */
    async function confirm(link: string): Promise<{ manage: string; id: number }> {
      const { receipt } = await openAndConfirm(test.app, link);
      expect(receipt.statusCode).toBe(200);
      return manageLinkOf(store.current().db, receipt.body);
    }

    async function withdraw(manage: string) {
      const page = await inject(manage);
      const session = formSession(page);
      const res = await test.app.inject({
        method: "POST",
        url: `${manage}/withdraw`,
        headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: `_csrf=${encodeURIComponent(session.csrf)}&confirm=yes`,
      });
      expect(res.statusCode).toBe(303);
      return inject(res.headers.location as string);
    }

    /** What a poller sees: the API's counts and every public page, minus what differs per request. */
    async function poll(): Promise<{ counts: unknown; pages: Record<string, string>; logSize: number }> {
      letterChanged(letter.id);
      const api = await inject(`/api/v1/letters/${letter.slug}`);
      expect(api.statusCode).toBe(200);
      const pages: Record<string, string> = {};
      for (const url of [
        `/letters/${letter.slug}`,
        `/letters/${letter.slug}/embed`,
        `/letters/${letter.slug}/updates.atom`,
        `/letters/${letter.slug}/signatories.csv`,
        "/",
      ]) {
        const res = await inject(url);
        expect([url, res.statusCode]).toEqual([url, 200]);
        pages[url] = res.body.replace(/nonce="[^"]*"/g, "").replace(/name="_csrf" value="[^"]*"/g, "");
      }
      const log = await store.current().db.selectFrom("log_entries").select("idx").execute();
      return { counts: api.json().counts, pages, logSize: log.length };
    }

    const total = (counts: unknown) => counts as { total: number; undisclosed: number; listed: number };

    it("shows no change while undisclosed endorsements are withdrawn and made, then the right counts at the release", async () => {
      // Coordinators' side, hours before: endorsements come in and are approved.
      at("2026-03-01T07:00:00.000Z");
      const undisclosed = [];
      for (const name of ["Hidden Network One", "Hidden Network Two", "Hidden Network Three"]) {
        undisclosed.push(await confirm(await sign("undisclosed", name)));
      }
      const listed = await confirm(await sign("listed", "Open Collective Alpha"));
      for (const { id } of [...undisclosed, listed]) {
        await approveSignature(test.deps, { actor: "cli", signatureId: id }, test.clock.now);
      }
      // An update whose text carries the live counts, so the feed shows them too.
      await postEnglishUpdate(
        test.deps,
        letter.id,
        { title: "Where we stand", body: "{{total}} endorsements, {{undisclosed}} undisclosed." },
        test.clock.now,
      );
      await runPeriodicWork(store.current(), signer, test.deps.log, test.clock.now);
      const before = await poll();
      expect(before.counts).toMatchObject({ total: 4, listed: 1, undisclosed: 3 });

      // The signers' moments: two undisclosed withdrawals and a new undisclosed endorsement, confirmed.
      at("2026-03-01T10:15:00.000Z");
      const receipt = await withdraw(undisclosed[0]!.manage);
      expect(receipt.body).toContain("Your endorsement has been withdrawn.");
      // The manage page tells the signer when the withdrawal reaches the public count.
      expect(receipt.body).toContain("2 March 2026, 00:00 UTC");
      expect(await poll()).toEqual(before);
      await runPeriodicWork(store.current(), signer, test.deps.log, test.clock.now);
      expect(await poll()).toEqual(before);

      at("2026-03-01T13:40:00.000Z");
      await withdraw(undisclosed[1]!.manage);
      const late = await confirm(await sign("undisclosed", "Hidden Network Four"));
      for (const minute of ["13:41", "18:00", "23:59"]) {
        at(`2026-03-01T${minute}:00.000Z`);
        await runPeriodicWork(store.current(), signer, test.deps.log, test.clock.now);
        expect(await poll()).toEqual(before);
      }

      // The release: both withdrawals reach every public place together, and the log follows.
      at("2026-03-02T00:00:02.000Z");
      await runPeriodicWork(store.current(), signer, test.deps.log, test.clock.now);
      const released = await poll();
      expect(released.counts).toMatchObject({ total: 2, listed: 1, undisclosed: 1 });
      expect(released.logSize).toBeGreaterThan(before.logSize);
      for (const [url, body] of Object.entries(released.pages)) {
        if (url.endsWith(".csv")) continue; // listed names only: unchanged, as it should be
        expect([url, body === before.pages[url]]).toEqual([url, false]);
      }
      const row = await store
        .current()
        .db.selectFrom("letters")
        .select("counts_released_at")
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row.counts_released_at).toBe("2026-03-02T00:00:00.000Z");
      const pending = await store
        .current()
        .db.selectFrom("signatures")
        .select("id")
        .where("count_change_at", "is not", null)
        .execute();
      expect(pending).toEqual([]);

      // A coordinator's action counts at once: the poll above would have seen any change.
      at("2026-03-02T09:30:00.000Z");
      await approveSignature(test.deps, { actor: "cli", signatureId: late.id }, test.clock.now);
      expect(total((await poll()).counts)).toMatchObject({ total: 3, undisclosed: 2 });
    });

    it("releases hourly when the letter is set so", async () => {
      await store
        .current()
        .db.updateTable("letters")
        .set({ release_every_hours: 1 })
        .where("id", "=", letter.id)
        .execute();
      at("2026-03-03T08:00:00.000Z");
      const { id, manage } = await confirm(await sign("undisclosed", "Hidden Network Five"));
      await approveSignature(test.deps, { actor: "cli", signatureId: id }, test.clock.now);
      const before = await poll();
      at("2026-03-03T10:20:00.000Z");
      const page = await withdraw(manage);
      expect(page.body).toContain("3 March 2026, 11:00 UTC");
      at("2026-03-03T10:59:59.000Z");
      await runPeriodicWork(store.current(), signer, test.deps.log, test.clock.now);
      expect((await poll()).counts).toEqual(before.counts);
      at("2026-03-03T11:00:00.000Z");
      await runPeriodicWork(store.current(), signer, test.deps.log, test.clock.now);
      expect(total((await poll()).counts).undisclosed).toBe(total(before.counts).undisclosed - 1);
    });
  });
}
