import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { FORM } from "../../test/console-session.ts";
import { DIALECTS } from "../../test/databases.ts";
import { escapeHtml, truncatedMultipart, useHostileApp } from "../../test/hostile-requests.ts";
import { XLSX_LIMITS } from "../domain/zip-bounds.ts";
import { translator } from "../i18n/index.ts";

/*
 * Hostile bodies on the forms themselves: what was typed is kept on every form refused, and truncated
 * multipart, a zip bomb and a NUL the database cannot store each get a translated 4xx, never a 5xx or a
 * stack trace.
 */
const my = translator("my");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile form bodies on ${dialect.label}`, () => {
    const { routes, signedIn, real, pathsOf, send } = useHostileApp(dialect.name);

    it("keeps what was typed on every console and public form it refuses", async () => {
      // Every form on the pages the walk reaches, each text field filled with a marker and a NUL (refused
      // everywhere): a 4xx answer must show the form again with the markers of the fields it shows.
      const pages = routes()
        .filter((r) => r.methods.includes("GET"))
        .map((r) => pathsOf(r)[0]!)
        .filter((p) => !p.includes("*"));
      let checked = 0;
      for (const path of pages) {
        const page = await send({ method: "GET", url: path, headers: { cookie: signedIn().cookie } });
        if (page.statusCode !== 200 || !String(page.headers["content-type"]).startsWith("text/html"))
          continue;
        for (const [form, action] of page.body.matchAll(
          /<form method="post" action="([^"]+)"[^>]*>.*?<\/form>/gs,
        )) {
          if (/enctype="multipart/.test(form!)) continue;
          const fields = new URLSearchParams({ _csrf: signedIn().csrf });
          const markers: string[] = [];
          for (const [tag, name] of form!.matchAll(/<(?:input|textarea)[^>]*?name="([^"]+)"[^>]*>/g)) {
            // Secrets are never shown again: passwords, and one-time codes (spent, or wrong either way).
            const secret = /type="password"|autocomplete="one-time-code"/.test(tag!);
            if (secret || /type="(hidden|radio|checkbox|submit|file)"/.test(tag!) || name === "_csrf")
              continue;
            const marker = `Kept${name!.replace(/\W/g, "")}Marker`;
            fields.set(name!, `${marker}\u0000`);
            markers.push(marker);
          }
          for (const [tag, name, value] of form!.matchAll(
            /<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"[^>]*>/g,
          ))
            if (/type="(hidden|radio|checkbox)"/.test(tag!) && name !== "_csrf" && !fields.has(name!))
              fields.set(name!, value!.replace(/&amp;/g, "&"));
          if (markers.length === 0) continue;
          const url = action!.replace(/&amp;/g, "&");
          const answer = await send({
            method: "POST",
            url,
            headers: { cookie: signedIn().cookie, "content-type": FORM },
            payload: fields.toString(),
          });
          if (answer.statusCode < 400 || answer.statusCode === 404) continue;
          checked += 1;
          expect([url, markers.some((m) => answer.body.includes(m))]).toEqual([url, true]);
        }
      }
      expect(checked).toBeGreaterThanOrEqual(8);
    });

    it("answers a multipart upload without its closing boundary with the form's page and a translated 400", async () => {
      for (const path of [
        `/admin/letters/${real().id}/import`,
        `/admin/letters/${real().id}/logo`,
        `/admin/letters/${real().id}/recipients/1/responses`,
      ]) {
        const answer = await send({
          method: "POST",
          url: `${path}?lang=my`,
          headers: { cookie: signedIn().cookie, "content-type": "multipart/form-data; boundary=XYZ" },
          payload: truncatedMultipart(signedIn().csrf),
        });
        expect([path, answer.statusCode]).toEqual([path, 400]);
        expect([path, answer.body]).toEqual([
          path,
          expect.stringContaining(escapeHtml(my("error.incomplete_body"))),
        ]);
      }
    });

    it("refuses a zip bomb uploaded for import on the import page, with a translated message", async () => {
      const bomb = zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
      const boundary = "----hostile";
      const answer = await send({
        method: "POST",
        url: `/admin/letters/${real().id}/import?lang=my`,
        headers: { cookie: signedIn().cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${signedIn().csrf}\r\n`,
          ),
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bomb.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          Buffer.from(bomb),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('enctype="multipart/form-data"');
      expect(answer.body).toContain(
        escapeHtml(my("import.file.zip.tooCompressed", { max: XLSX_LIMITS.maxRatio })),
      );
    });

    it("answers a NUL the database cannot store with a translated 400, not a database error", async () => {
      const answer = await send({
        method: "GET",
        url: "/admin/campaigns/%00?lang=my",
        headers: { cookie: signedIn().cookie },
      });
      expect(answer.statusCode).toBe(dialect.name === "postgres" ? 400 : 404);
      if (dialect.name === "postgres") expect(answer.body).toContain(escapeHtml(my("error.unstorable_text")));
    });
  });
}
