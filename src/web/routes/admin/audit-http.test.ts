import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { recordAudit } from "../../../store/audit.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`audit log over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function seed() {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const other = await insertSignableLetter(db);
      const entry = (action: string, letterId: number, at: string, detail = {}) =>
        recordAudit(
          db,
          { actor: "cli", action, subjectType: "letter", subjectId: letterId, letterId, detail },
          new Date(at),
        );
      await entry("signature.import", letter.id, "2026-02-01T10:00:00Z", { imported: 3 });
      await entry("letter.publish", letter.id, "2026-02-02T10:00:00Z");
      await entry("letter.publish", other.id, "2026-02-03T10:00:00Z");
      // A detail quoting typed text that a spreadsheet would run as a formula.
      await entry("signature.reject", other.id, "2026-02-04T10:00:00Z", { reason: '=HYPERLINK("x")' });
      for (let i = 0; i < 60; i++)
        await entry("letter.edit", other.id, `2026-01-01T00:${String(i).padStart(2, "0")}:00Z`);
      return { letter, other };
    }

    it("shows owners the log newest first, filtered and paginated, linked from the console", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { letter, other } = await seed();
      const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));

      const console = await app.inject({ method: "GET", url: "/admin", headers: { cookie } });
      expect(console.body).toContain('href="/admin/audit"');

      const all = await app.inject({ method: "GET", url: "/admin/audit", headers: { cookie } });
      expect(all.statusCode).toBe(200);
      const order = ["signature.reject", "letter.publish", "signature.import"].map((a) =>
        all.body.indexOf(`<td>${a}</td>`),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
      const paged = await app.inject({
        method: "GET",
        url: `/admin/audit?letter=${other.id}`,
        headers: { cookie },
      });
      expect(paged.body).toContain("Entries 1–50 of 62, newest first.");
      expect(paged.body).toContain(`href="/admin/audit?letter=${other.id}&amp;page=2"`);
      const second = await app.inject({
        method: "GET",
        url: `/admin/audit?letter=${other.id}&page=2`,
        headers: { cookie },
      });
      expect(second.body).toContain("Entries 51–62 of 62");
      expect(second.body).toContain(`href="/admin/audit?letter=${other.id}&amp;page=1"`);

      const byAction = await app.inject({
        method: "GET",
        url: `/admin/audit?action=letter.publish&letter=${letter.id}`,
        headers: { cookie },
      });
      expect(byAction.body).toContain("Entries 1–1 of 1");
      expect(byAction.body).toContain("2026-02-02 10:00:00");

      const byDate = await app.inject({
        method: "GET",
        url: `/admin/audit?letter=${other.id}&from=2026-02-01&to=2026-02-03`,
        headers: { cookie },
      });
      expect(byDate.body).toContain("Entries 1–1 of 1");
      expect(byDate.body).toContain("2026-02-03 10:00:00");

      // Malformed filters are ignored rather than errors.
      const stale = await app.inject({
        method: "GET",
        url: `/admin/audit?letter=${other.id}&from=yesterday&page=-3`,
        headers: { cookie },
      });
      expect(stale.body).toContain("Entries 1–50 of 62");
      await app.close();
    });

    it("exports the filtered selection as formula-safe CSV", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { other } = await seed();
      const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
      const csv = await app.inject({
        method: "GET",
        url: `/admin/audit.csv?letter=${other.id}&from=2026-02-01`,
        headers: { cookie },
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
      const lines = csv.body
        .replace(/^\uFEFF/, "")
        .trimEnd()
        .split("\r\n");
      expect(lines[0]).toBe("at,actor,action,subject_type,subject_id,letter,detail");
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(
        /^2026-02-04T10:00:00.000Z,cli,signature.reject,letter,\d+,[a-z0-9-]+,"{""reason"":""=HYPERLINK/,
      );
      expect(lines[2]).toContain("letter.publish");
      await app.close();
    });

    it("refuses reviewers, and does not show them the link", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const cookie = await signIn(app, await insertUser(store.current(), { role: "reviewer" }));
      for (const url of ["/admin/audit", "/admin/audit.csv"]) {
        const response = await app.inject({ method: "GET", url, headers: { cookie } });
        expect(response.statusCode, url).toBe(403);
      }
      const console = await app.inject({ method: "GET", url: "/admin", headers: { cookie } });
      expect(console.body).not.toContain('href="/admin/audit"');
      await app.close();
    });
  });
}
