import { expect } from "vitest";
import type { Store } from "../src/store/db.ts";

/**
 * Reads confirmation links from the outbox as a signer reads their inbox. Confirmation mails have random ids
 * (no order to go by), so the one not seen before is the new one; there must be exactly one.
 */
export function confirmationMails(store: () => Store) {
  const seenMails = new Set<number>();
  return async function nextConfirmationToken(): Promise<string> {
    const mails = await store()
      .db.selectFrom("outbox_messages")
      .select(["id", "text_body"])
      .where("purpose", "=", "confirmation")
      .execute();
    const fresh = mails.filter((m) => !seenMails.has(m.id));
    expect(fresh).toHaveLength(1);
    seenMails.add(fresh[0]!.id);
    return /\/confirm\/([A-Za-z0-9_-]+)/.exec(fresh[0]!.text_body)![1]!;
  };
}
