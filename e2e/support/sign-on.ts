import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import type { Page } from "playwright-core";
import { approveSignature } from "../../src/commands/approve-signature.ts";
import { signLetter } from "../../src/commands/sign-letter.ts";
import type { SignForm } from "../../src/domain/sign-form.ts";
import { mailboxDir } from "../../src/mail/mailbox.ts";
import { getOrCreateSecret } from "../../src/store/settings.ts";
import { FASTEST_HUMAN_MS } from "../../src/web/forms/form-stamp.ts";
import type { Journey } from "./journey.ts";

/** Steps shared by the sign-on journeys: what every signer does after filling in the form. */

export type Counts = { total: number; listed: number; undisclosed: number };

/** The letter's counts as the public API gives them. */
export async function publicCounts(journey: Journey, slug: string): Promise<Counts> {
  const response = await fetch(`${journey.baseUrl()}/api/v1/letters/${slug}`);
  return (await response.json()).counts;
}

/** A person takes longer than the form's minimum time; so does a journey, or the form is refused as a program's. */
export async function takeLongerThanAProgram(page: Page): Promise<void> {
  await page.waitForTimeout(FASTEST_HUMAN_MS + 200);
}

/**
 * The confirmation link from the mail the outbox worker stored in the local mailbox (no SMTP_URL in
 * journeys). A signer's mail is not announced to the operator (its line would carry the signer's moment),
 * so this watches the mailbox directory for a message whose subject starts so.
 */
export async function confirmationLinkFromMailbox(
  journey: Journey,
  subjectStart: string,
  /** Files already there before the signer signed (mailboxFiles), which are someone else's. */
  before: ReadonlySet<string> = new Set(),
): Promise<string> {
  const dir = mailboxDir(journey.config().dataDir);
  const checked = new Set(before);
  for (let i = 0; i < 100; i++) {
    for (const name of mailboxFiles(journey)) {
      if (checked.has(name)) continue;
      checked.add(name);
      const mail = await simpleParser(readFileSync(path.join(dir, name)));
      if (!(mail.subject ?? "").startsWith(subjectStart)) continue;
      return confirmationLinkIn(mail);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail "${subjectStart}…" was stored in the mailbox`);
}

/** The confirmation link in a signer's mail, however it reached them. */
export function confirmationLinkIn(mail: ParsedMail): string {
  const link = /(http:\/\/\S+\/confirm\/\S+)/.exec(mail.text ?? "")?.[1];
  if (!link) throw new Error("the confirmation mail has no confirmation link");
  return link;
}

/** The messages in the local mailbox now. */
export function mailboxFiles(journey: Journey): Set<string> {
  const dir = mailboxDir(journey.config().dataDir);
  return new Set(existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".eml")) : []);
}

/**
 * An endorsement made through the sign-on command (what the sign form's route runs) and confirmed by
 * opening the link in its mail, for journeys about what happens after signing. A name typed in Zawgyi gets
 * the check step; the converted values are sent again, as the signer does by pressing "That's right".
 * Every signer needs their own email address, which is how their mail is found.
 */
export async function endorseAndConfirm(
  journey: Journey,
  slug: string,
  form: SignForm & { email: string },
): Promise<void> {
  const { store } = journey.server();
  const deps = {
    store,
    config: journey.config(),
    secret: await getOrCreateSecret(store.db, new Date()),
  };
  const send = (values: SignForm) =>
    signLetter(
      deps,
      { slug, form: { consent: "yes", ...values }, locale: "en", ip: "192.0.2.10" },
      new Date(),
    );
  const before = mailboxFiles(journey);
  let result = await send(form);
  if (result.outcome === "check") result = await send({ ...form, ...result.converted });
  if (result.outcome !== "sent") throw new Error(`signing failed: ${JSON.stringify(result)}`);
  // Open the link, then press Confirm (opening alone confirms nothing).
  const link = await confirmationLinkFromMailbox(journey, "Confirm your endorsement", before);
  const page = await fetch(link);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  const cookie = page.headers
    .getSetCookie()
    .find((c) => c.startsWith("us_csrf="))
    ?.split(";")[0];
  if (!csrf || !cookie) throw new Error(`the confirmation page (HTTP ${page.status}) has no Confirm button`);
  const confirmed = await fetch(link, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  if (!confirmed.ok) throw new Error(`confirming failed with HTTP ${confirmed.status}`);
}

/** A coordinator approves the letter's only endorsement (the console's review screen does the same). */
export async function approveTheEndorsement(journey: Journey, letterId: number): Promise<number> {
  const { store } = journey.server();
  const signature = await store.db
    .selectFrom("signatures")
    .select("id")
    .where("letter_id", "=", letterId)
    .executeTakeFirstOrThrow();
  await approveSignature({ store }, { actor: "cli", signatureId: signature.id }, new Date());
  return signature.id;
}
