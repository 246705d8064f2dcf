import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { sha256 } from "../src/crypto/tokens.ts";
import type { Database } from "../src/store/schema.ts";
import { formSession } from "./app.ts";

/** The public sign form as a browser without script uses it, and the receipt it ends on. */

/** What a sign form's page hands the browser to send back: its cookie, CSRF token and time stamp. */
export function signFormOf(page: { body: string; cookies: { name: string; value: string }[] }) {
  return { ...formSession(page), ts: /name="ts" value="([^"]+)"/.exec(page.body)![1]! };
}

/** Sends the letter's sign form with what its page handed over and the fields the signer filled in. */
export function postSignForm(
  app: FastifyInstance,
  slug: string,
  form: { cookie: string; csrf: string; ts: string },
  fields: Record<string, string>,
) {
  return app.inject({
    method: "POST",
    url: `/letters/${slug}/sign`,
    headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: form.csrf, ts: form.ts, ...fields }).toString(),
  });
}

/** The text of the one mail the outbox holds for `address`, as its recipient reads it. */
export async function mailedTextTo(db: Kysely<Database>, address: string): Promise<string> {
  const mail = await db
    .selectFrom("outbox_messages")
    .select("text_body")
    .where("to_address", "=", address)
    .executeTakeFirstOrThrow();
  return mail.text_body;
}

/** The private manage path a receipt page shows, and the id of the endorsement whose token it carries. */
export async function manageLinkOf(db: Kysely<Database>, receiptHtml: string) {
  const manage = /class="manage-link">https?:\/\/[^/<]+([^<]+)</.exec(receiptHtml)![1]!;
  const token = decodeURIComponent(manage.split("/").pop()!);
  const row = await db
    .selectFrom("signatures")
    .select("id")
    .where("manage_token_hash", "=", sha256(token))
    .executeTakeFirstOrThrow();
  return { manage, id: row.id };
}
