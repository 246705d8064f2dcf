import type { FastifyInstance } from "fastify";
import type { Role } from "../src/domain/roles.ts";
import type { Dialect } from "../src/store/db.ts";
import { insertUser } from "./accounts.ts";
import { buildTestApp } from "./app.ts";
import { FORM, signIn } from "./console-session.ts";
import { useStore } from "./databases.ts";
import { insertCampaign, insertLetter } from "./letter-factory.ts";

/*
 * What the letter console tests over HTTP share: a draft letter opened in the editor by a member of its
 * campaign, the editor's fields read back as a browser would post them, and a form post.
 */

/** The editor's own fields as a browser would post them back, with changes applied. */
export function editorFields(page: string, changes: Record<string, string>): URLSearchParams {
  const body = /<form method="post" action="\/admin\/letters\/\d+" class="stack editor".*?<\/form>/s.exec(
    page,
  )![0];
  const fields = new URLSearchParams();
  for (const [tag, name, value] of body.matchAll(/<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"[^>]*>/g)) {
    if (!/type="(radio|checkbox)"/.test(tag)) fields.set(name!, decode(value!));
    else if (/ checked/.test(tag)) fields.append(name!, decode(value!));
  }
  for (const [, name, value] of body.matchAll(/<textarea[^>]*?name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    fields.set(name!, decode(value!));
  for (const [, name, options] of body.matchAll(/<select[^>]*?name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    const selected = /<option value="([^"]*)" selected/.exec(options!);
    if (selected) fields.set(name!, decode(selected[1]!));
  }
  for (const [k, v] of Object.entries(changes)) fields.set(k, v);
  return fields;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** A fresh store for the enclosing describe block, a draft letter open in the editor, and a form post. */
export function useLetterEditor(dialect: Dialect) {
  const store = useStore(dialect);

  async function setUp(role: Role = "coordinator") {
    const { app } = await buildTestApp(store.current(), store.dataDir());
    const campaign = await insertCampaign(store.current().db);
    const user = await insertUser(store.current(), { role, campaigns: [campaign.id] });
    const cookie = await signIn(app, user);
    const letter = await insertLetter(store.current().db, {
      campaignId: campaign.id,
      state: "draft",
      translations: [{ language: "en", title: "Original title", body: "Original body." }],
    });
    const page = await app.inject({
      method: "GET",
      url: `/admin/letters/${letter.id}`,
      headers: { cookie },
    });
    return { app, cookie, campaign, letter, page };
  }

  const post = (app: FastifyInstance, url: string, cookie: string, fields: URLSearchParams) =>
    app.inject({
      method: "POST",
      url,
      headers: { "content-type": FORM, cookie },
      payload: fields.toString(),
    });

  return { store, setUp, post };
}
