import { expect } from "vitest";
import { confirmSignature } from "../src/commands/confirm-signature.ts";
import { signLetter } from "../src/commands/sign-letter.ts";
import type { Store } from "../src/store/db.ts";
import type { CommandDeps } from "../src/store/deps.ts";

/**
 * Signs with a listing condition and confirms from the mailed link, as a signer would. Each call comes from
 * another address (so no rate limit joins them); confirmation mails have random ids, so the one not seen
 * before is the new one.
 */
export function thresholdSigner(store: () => Store, deps: () => CommandDeps) {
  let ip = 0;
  const seenMails = new Set<number>();
  return async function signWithCondition(
    slug: string,
    name: string,
    fields: Record<string, string>,
    now: Date,
  ): Promise<{ id: number; manageToken: string }> {
    const result = await signLetter(
      deps(),
      {
        slug,
        form: { consent: "yes", email: "office@example.org", name, visibility: "threshold", ...fields },
        locale: "en",
        ip: `198.51.100.${++ip}`,
      },
      now,
    );
    if (result.outcome !== "sent") throw new Error(JSON.stringify(result));
    const mails = await store()
      .db.selectFrom("outbox_messages")
      .select(["id", "text_body"])
      .where("purpose", "=", "confirmation")
      .execute();
    const fresh = mails.filter((m) => !seenMails.has(m.id));
    expect(fresh).toHaveLength(1);
    seenMails.add(fresh[0]!.id);
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(fresh[0]!.text_body)![1]!;
    const confirmed = await confirmSignature(deps(), { slug, token }, now);
    if (confirmed.outcome === "receipt")
      return { id: result.signatureId, manageToken: confirmed.manageToken };
    throw new Error("no confirmation link for the new endorsement");
  };
}
