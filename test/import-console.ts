import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Dialect } from "../src/store/db.ts";
import { insertUser } from "./accounts.ts";
import { buildTestApp } from "./app.ts";
import { csrfOf, FORM, signIn } from "./console-session.ts";
import { useStore } from "./databases.ts";
import { insertSignableLetter } from "./sign-on-factory.ts";

/*
 * What the console import tests over HTTP share: a letter open for signing, its owner signed in on the
 * import page, a file upload as a browser without script sends it, and the import files kept on disk.
 */

/** A Google Forms export: a duplicate name in another case, an impossible date, and a comment column. */
export const CSV = [
  "Timestamp,Organisation name,Country,Email address,Any comments?",
  "14/03/2026 10:00:00,Athan Media,Myanmar,office@athan.example,hi",
  "14/03/2026 10:05:00,Atlantis Friends,Atlantis,a@atlantis.example,",
  "14/03/2026 10:06:00,athan media,MM,again@athan.example,",
  "31/02/2026 10:00:00,Late Group,MM,late@example.org,",
  "15/03/2026 11:00:00,Golden Valley Network,TH,gv@example.org,",
  "",
].join("\r\n");

/** Posts a file the way the import form does, with the CSRF field first (none when `csrf` is undefined). */
export function upload(
  app: FastifyInstance,
  url: string,
  cookie: string,
  csrf: string | undefined,
  name: string,
  bytes: Buffer,
) {
  const boundary = "----undersigned-import";
  const parts = [
    csrf === undefined
      ? Buffer.alloc(0)
      : Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie },
    payload: Buffer.concat(parts),
  });
}

/** The token the mapping form carries after an upload: it names the kept file, which only the form knows. */
export const tokenOf = (uploaded: { body: string }) =>
  /name="token" value="([^"]+)"/.exec(uploaded.body)![1]!;

/** Posts the mapping form as the coordinator does without script: the token, the columns chosen, the step. */
export function postMapping(
  app: FastifyInstance,
  importUrl: string,
  cookie: string,
  csrf: string,
  fields: Record<string, string>,
) {
  return app.inject({
    method: "POST",
    url: `${importUrl}/mapping`,
    headers: { "content-type": FORM, cookie },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });
}

/** The progress page once the import has ended (its report), asked for again until then. */
export async function finishedPage(app: FastifyInstance, progressUrl: string, cookie: string) {
  let page = await app.inject({ method: "GET", url: progressUrl, headers: { cookie } });
  for (let i = 0; i < 600 && page.body.includes("data-import-progress"); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    page = await app.inject({ method: "GET", url: progressUrl, headers: { cookie } });
  }
  return page;
}

/** A fresh store for the enclosing describe block, the import page's set-up, and the files it keeps. */
export function useImportConsole(dialect: Dialect) {
  const store = useStore(dialect);

  async function setUp(options: { undisclosed?: boolean } = {}) {
    const { app, logs, clock } = await buildTestApp(store.current(), store.dataDir());
    clock.now = new Date("2026-11-01T00:00:00.000Z");
    rmSync(path.join(store.dataDir(), "imports"), { recursive: true, force: true });
    const { db } = store.current();
    const letter = await insertSignableLetter(db);
    if (options.undisclosed)
      await db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", letter.id).execute();
    const cookie = await signIn(app, await insertUser(store.current(), { role: "owner" }));
    const page = await app.inject({
      method: "GET",
      url: `/admin/letters/${letter.id}/import`,
      headers: { cookie },
    });
    return { app, logs, db, letter, cookie, page, csrf: csrfOf(page.body) };
  }

  const kept = () => {
    const folder = path.join(store.dataDir(), "imports");
    return existsSync(folder) ? readdirSync(folder) : [];
  };

  return { store, setUp, kept };
}
