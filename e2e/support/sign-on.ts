import { readFileSync } from "node:fs";
import { simpleParser } from "mailparser";
import type { Page } from "playwright-core";
import { approveSignature } from "../../src/commands/approve-signature.ts";
import { FASTEST_HUMAN_MS } from "../../src/web/routes/sign/form-stamp.ts";
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
 * journeys). The worker announces where it stored each mail; this waits for the one whose subject starts so.
 */
export async function confirmationLinkFromMailbox(journey: Journey, subjectStart: string): Promise<string> {
  const announcement = new RegExp(
    `^Mail "${escapeRegExp(subjectStart)}.*" stored in (.+?) \\(SMTP_URL not set\\)$`,
  );
  let stored: string | undefined;
  for (let i = 0; i < 100 && !stored; i++) {
    stored = journey
      .announced()
      .map((line) => announcement.exec(line)?.[1])
      .find(Boolean);
    if (!stored) await new Promise((r) => setTimeout(r, 100));
  }
  if (!stored) throw new Error(`no mail "${subjectStart}…" was stored in the mailbox`);
  const mail = await simpleParser(readFileSync(stored));
  const link = /(http:\/\/\S+\/confirm\/\S+)/.exec(mail.text ?? "")?.[1];
  if (!link) throw new Error("the confirmation mail has no confirmation link");
  return link;
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
