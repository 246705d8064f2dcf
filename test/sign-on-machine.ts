import { beforeAll } from "vitest";
import { type SignLetterResult, signLetter } from "../src/commands/sign-letter.ts";
import type { Actor } from "../src/policies/actor.ts";
import type { Dialect } from "../src/store/db.ts";
import { commandDeps, insertUser } from "./accounts.ts";
import { confirmationMails } from "./confirmation-mails.ts";
import { useStore } from "./databases.ts";

/*
 * What the sign-on state machine's command tests share: a clock in days from t0, a reviewer, and signing
 * as an organisation does, the confirmation token taken from the queued mail as from its inbox.
 */

export const day = 24 * 60 * 60 * 1000;
export const t0 = new Date("2026-03-01T09:00:00.000Z");
export const at = (ms: number) => new Date(t0.getTime() + ms);

export const sent = (r: SignLetterResult) => {
  if (r.outcome !== "sent") throw new Error(`expected sent, got ${JSON.stringify(r)}`);
  return r;
};

/** A fresh store for the enclosing describe block, a reviewer, and signing through the real command. */
export function useSignOn(dialect: Dialect) {
  const store = useStore(dialect);
  const deps = () => commandDeps(store.current(), store.dataDir());
  let ipCounter = 0;
  let reviewer: Exclude<Actor, "cli">;
  beforeAll(async () => {
    const user = await insertUser(store.current(), { role: "reviewer" });
    reviewer = { userId: user.id, role: "reviewer", label: user.email, campaigns: new Map() };
  });

  /** Signs and pulls the confirmation token out of the queued mail, as the signer would from their inbox. */
  async function sign(slug: string, form: Record<string, string>, now = t0) {
    const result = await signLetter(
      deps(),
      {
        slug,
        form: { consent: "yes", email: "office@example.org", ...form },
        locale: "en",
        ip: `192.0.2.${++ipCounter % 250}`,
      },
      now,
    );
    return { result, token: result.outcome === "sent" ? await tokenOf(result.signatureId) : "" };
  }

  const nextConfirmationToken = confirmationMails(() => store.current());
  /** The new endorsement's confirmation token, from the one mail not seen before. */
  const tokenOf = (_signatureId: number) => nextConfirmationToken();

  const signature = (id: number) =>
    store.current().db.selectFrom("signatures").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  return { store, deps, reviewer: () => reviewer, sign, tokenOf, signature };
}
