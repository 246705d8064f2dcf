import type { Kysely, Transaction } from "kysely";
import { addresseeGroupKey, parseAddressees } from "../domain/addressee-group-key.ts";
import { AppError } from "../domain/app-error.ts";
import type { AddresseeGroup } from "../domain/letter-content-hash.ts";
import type { Recipient } from "../domain/recipients.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import type { CampaignAction } from "../policies/policy.ts";
import type { Dialect } from "./db.ts";
import { campaignOfLetter } from "./memberships.ts";
import type { Database } from "./schema.ts";

/*
 * What the recipient, delivery and response commands share: the letter they act on (taken FOR UPDATE on
 * PostgreSQL, so two coordinators' deliveries of one letter run one after the other; SQLite writes one at
 * a time anyway) and the recipient, which must belong to that letter. Other commands on a letter (its
 * updates, its logo) use the permission check and the form errors too.
 */

/**
 * Checks the permission in the letter's campaign before any work (a file written, a PDF printed); commands
 * check again on the row they lock, in case the letter moved to another campaign meanwhile. Returns that
 * campaign, which a command that locks no row records in its audit entry.
 */
export async function authoriseForLetter(
  db: Kysely<Database>,
  actor: Actor,
  action: CampaignAction,
  letterId: number,
): Promise<number> {
  const campaignId = await campaignOfLetter(db, letterId);
  if (campaignId === undefined) throw new AppError("not_found");
  authorise(actor, action, campaignId);
  return campaignId;
}

export type LetterRow = { id: number; campaign_id: number; slug: string; state: string };

/** The letter a command acts on, locked, once the actor's permission is checked in its campaign. */
export async function letterForUpdate(
  trx: Transaction<Database>,
  dialect: Dialect,
  input: { actor: Actor; letterId: number },
  action: CampaignAction,
): Promise<LetterRow> {
  const letter = await trx
    .selectFrom("letters")
    .select(["id", "campaign_id", "slug", "state"])
    .where("id", "=", input.letterId)
    .$if(dialect === "postgres", (q) => q.forUpdate())
    .executeTakeFirst();
  if (!letter) throw new AppError("not_found");
  authorise(input.actor, action, letter.campaign_id);
  return letter;
}

export async function recipientOf(
  db: Kysely<Database>,
  letterId: number,
  recipientId: number,
): Promise<{ id: number; name: string }> {
  const recipient = await db
    .selectFrom("recipients")
    .select(["id", "name"])
    .where("id", "=", recipientId)
    .where("letter_id", "=", letterId)
    .executeTakeFirst();
  if (!recipient) throw new AppError("not_found");
  return recipient;
}

/** The addressees of each translation of the letter's current version (none before its first save). */
export async function letterAddressees(db: Kysely<Database>, letterId: number): Promise<AddresseeGroup[][]> {
  const rows = await db
    .selectFrom("letters")
    .innerJoin("letter_translations as t", "t.version_id", "letters.current_version_id")
    .select(["t.addressees", "t.language", "letters.default_language"])
    .where("letters.id", "=", letterId)
    .execute();
  // The default language first: coordinators name groups as the letter was written.
  rows.sort((a, b) => Number(b.language === b.default_language) - Number(a.language === a.default_language));
  return rows.map((r) => parseAddressees(r.addressees));
}

/**
 * A recipient's columns, the same whether typed in the console or imported from a file; its group is looked
 * up in the letter's addressees (see addresseeGroupKey).
 */
export function recipientColumns(r: Recipient, addressees: readonly AddresseeGroup[][]) {
  return {
    name: r.name,
    office: r.office,
    country: r.country,
    addressee_group: r.addresseeGroup,
    addressee_group_key: addresseeGroupKey(addressees, r),
    emails: JSON.stringify(r.emails),
    postal_address: r.postalAddress,
    notes: r.notes,
  };
}

/** A calendar date typed in a form (YYYY-MM-DD) that exists and is not in the future. */
export function isPastDate(value: string, now: Date): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) &&
    date.toISOString().slice(0, 10) === value &&
    value <= now.toISOString().slice(0, 10)
  );
}
