import { PDFDocument } from "pdf-lib";
import { expect } from "vitest";
import type { LetterPdfSource } from "../src/commands/deliver-letter.ts";
import { saveStance } from "../src/commands/save-stance.ts";
import { AppError } from "../src/domain/app-error.ts";
import type { Actor } from "../src/policies/actor.ts";
import type { Dialect } from "../src/store/db.ts";
import { commandDeps, insertUser } from "./accounts.ts";
import { useStore } from "./databases.ts";
import { insertCampaign, insertLetterInNewCampaign } from "./letter-factory.ts";

/*
 * The set-up the recipient, delivery, response and stance command tests share: a published letter with one
 * coordinator, command deps whose PDF is a fixed document (so its hash can be checked; the route test
 * prints the real one), and a check that a command refused with a given code and field messages.
 */

export const now = new Date("2026-03-02T10:00:00.000Z");
export const PDF = Buffer.from("%PDF-1.7\n% a printed letter\n%%EOF\n");
/** A ministry's reply as its word processor wrote it, with its author in the metadata. */
export const REPLY_PDF = await (async () => {
  const reply = await PDFDocument.create();
  reply.addPage([200, 100]);
  reply.setAuthor("Ministry clerk");
  return Buffer.from(await reply.save());
})();
const printed: LetterPdfSource = { available: true, render: async () => PDF };

/** Awaits a promise that must reject with an AppError of this code and these field messages. */
export async function expectError(
  promise: Promise<unknown>,
  code: string,
  fields: Record<string, string> = {},
) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect({ code: (error as AppError).code, fields: (error as AppError).fields }).toEqual({ code, fields });
  return error as AppError;
}

/** A fresh store for the enclosing describe block, its command deps, and a letter with its coordinator. */
export function useRecipientLetter(dialect: Dialect) {
  const store = useStore(dialect);
  const deps = () => ({ ...commandDeps(store.current(), store.dataDir()), letterPdf: printed });

  async function setUp() {
    const { db } = store.current();
    const { campaign, letter } = await insertLetterInNewCampaign(db, [
      {
        language: "en",
        title: "Stop the arms flow",
        subject: "Arms embargo",
        body: "We, the undersigned {{total}} organisations, ask.",
      },
    ]);
    const user = await insertUser(store.current(), { role: "coordinator" });
    const actor: Actor = {
      userId: user.id,
      role: "coordinator",
      label: user.email,
      campaigns: new Map([[campaign.id, "coordinator"]]),
    };
    return { db, campaign, letter, actor, user };
  }

  /** A stance of another campaign: what this letter's commands must neither find nor change. */
  async function anotherCampaignsStance() {
    const otherCampaign = await insertCampaign(store.current().db);
    return saveStance(
      deps(),
      { actor: "cli", campaignId: otherCampaign.id, form: { label: "foreign", translations: {} } },
      now,
    );
  }

  return { store, deps, setUp, anotherCampaignsStance };
}
