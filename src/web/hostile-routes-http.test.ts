import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORM } from "../../test/console-session.ts";
import { DIALECTS } from "../../test/databases.ts";
import {
  HOSTILE_QUERIES,
  HOSTILE_VALUES,
  truncatedMultipart,
  useHostileApp,
} from "../../test/hostile-requests.ts";

/*
 * Walks every route the app registers, signed in and not, with what an attacker would send: hostile path
 * parameters, query strings and form values, and bodies in the wrong encoding or type. Whatever arrives,
 * the answer is a clean 4xx (or a success) rendered by the app, never a 5xx, a stack trace or an unhandled
 * error in the log.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile requests on every route on ${dialect.label}`, () => {
    const { app, test, routes, signedIn, visitor, pathsOf, expectClean, nextClient, send } = useHostileApp(
      dialect.name,
    );

    it("answers hostile paths and queries on every GET route without a 5xx", async () => {
      expect(routes().length).toBeGreaterThan(50);
      for (const route of routes().filter((r) => r.methods.includes("GET"))) {
        for (const path of pathsOf(route)) {
          for (const who of [undefined, signedIn().cookie]) {
            await send({ method: "GET", url: path, headers: who ? { cookie: who } : {} });
          }
        }
        for (const query of HOSTILE_QUERIES)
          await send({
            method: "GET",
            url: pathsOf(route)[0]! + query,
            headers: { cookie: signedIn().cookie },
          });
      }
      expect(test().logs.text).not.toContain("unhandled error");
    });

    it("answers hostile bodies on every POST route without a 5xx", async () => {
      const bodies: { type: string; payload: string | Buffer }[] = [
        { type: FORM, payload: "" },
        { type: FORM, payload: "%E0%A4=%00&&&=&a=%" },
        { type: FORM, payload: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xe0, 0xa4, 0xff, 0xfe]) },
        { type: "application/json", payload: '{"_csrf": [1], "name": {"__proto__": {"x": 1}}' },
        { type: "application/json", payload: "[]" },
        { type: "text/plain", payload: "hello" },
        { type: "multipart/form-data", payload: truncatedMultipart("") },
        { type: "multipart/form-data; boundary=XYZ", payload: truncatedMultipart("") },
        { type: "application/x-www-form-urlencoded; charset=ISO-8859-1", payload: "name=%E9" },
      ];
      for (const route of routes().filter((r) => r.methods.includes("POST"))) {
        for (const path of pathsOf(route)) {
          for (const who of [visitor(), signedIn()]) {
            const fields = new URLSearchParams({ _csrf: who.csrf });
            for (const [i, value] of HOSTILE_VALUES.entries()) fields.set(`f${i}`, value);
            for (const name of [
              "name",
              "email",
              "title",
              "body",
              "website",
              "date",
              "password",
              "code",
              "ts",
            ])
              fields.set(name, HOSTILE_VALUES[name.length % HOSTILE_VALUES.length]!);
            await send({
              method: "POST",
              url: path,
              headers: { cookie: who.cookie, "content-type": FORM },
              payload: fields.toString(),
            });
          }
        }
        const [path] = pathsOf(route);
        for (const body of bodies)
          await send({
            method: "POST",
            url: path!,
            headers: { cookie: signedIn().cookie, "content-type": body.type },
            payload: body.payload,
          });
      }
      expect(test().logs.text).not.toContain("unhandled error");
    });

    it("answers random form values, signed in, on every form of the console and the sign form", async () => {
      const forms = routes()
        .filter((r) => r.methods.includes("POST"))
        .flatMap((r) => pathsOf(r).slice(0, 1));
      const value = fc.oneof(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.constantFrom(...HOSTILE_VALUES),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...forms),
          fc.dictionary(
            fc.constantFrom(
              "name",
              "email",
              "title",
              "body",
              "website",
              "kind",
              "visibility",
              "category",
              "country",
              "date",
              "ts",
              "language",
              "x",
            ),
            value,
          ),
          async (path, fields) => {
            const payload = new URLSearchParams({ ...fields, _csrf: signedIn().csrf }).toString();
            const answer = await app().inject({
              remoteAddress: nextClient(),
              method: "POST",
              url: path,
              headers: { cookie: signedIn().cookie, "content-type": FORM },
              payload,
            });
            await expectClean({ method: "POST", url: path }, answer);
          },
        ),
        { numRuns: 300, seed: 12 },
      );
      expect(test().logs.text).not.toContain("unhandled error");
    });
  });
}
