import type { Kysely } from "kysely";
import { utcDay } from "../domain/coarse-time.ts";
import { COUNTED_STATE } from "../domain/counts.ts";
import { READABLE_LETTER_STATES } from "../domain/public-letters.ts";
import { fromBase64, toBase64, utf8 } from "../domain/tlog/bytes.ts";
import {
  commitment,
  ENDORSEMENT_TYPE,
  type EndorsementEntry,
  isLetterName,
  parseEntry,
  recountIndexed,
  STATEMENT_TYPE,
  WITHDRAWAL_TYPE,
} from "../domain/tlog/entries.ts";
import type { SignerKey } from "../domain/tlog/note.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database } from "../store/schema.ts";
import { appendToLog, lockLog, type NewEntry } from "../store/transparency-log.ts";

/*
 * Brings the log up to the counted set, the server's own periodic work (every few seconds): an endorsement
 * entry for each counted endorsement the log lacks, a withdrawal entry for each logged one that no longer
 * counts (withdrawn, rejected, merged), and for each letter that changed a statement entry binding its
 * counts to the tree size. Entries so follow a coordinator's action or a release, never a signer's moment,
 * and their `day` is the day the endorsement started counting, not the day anyone signed.
 *
 * Only readable letters are logged: a letter gathering endorsements under embargo enters the log (with
 * everything counted so far) when it is published.
 */

export type IntegrateLogResult = { appended: number; size: number; letters: number[] };

export async function integrateLog(
  deps: { db: Kysely<Database>; signer: SignerKey },
  now: Date,
): Promise<IntegrateLogResult> {
  const result = await deps.db.transaction().execute(async (trx) => {
    // The lock first: a second process integrating at the same moment waits, then finds nothing to do.
    await lockLog(trx);
    const counted = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .innerJoin("letter_versions", "letter_versions.id", "signatures.version_id")
      .select([
        "signatures.id",
        "signatures.letter_id",
        "signatures.kind",
        "signatures.visibility",
        "signatures.display_name",
        "signatures.sealed_identity",
        "signatures.leaf_salt",
        "letter_versions.content_hash",
      ])
      .where("signatures.state", "=", COUNTED_STATE)
      .where("letters.state", "in", READABLE_LETTER_STATES)
      .execute();
    const logged = await trx
      .selectFrom("log_entries")
      .select(["idx", "signature_id", "letter_id", "entry"])
      .where("kind", "=", "endorsement")
      .where("withdrawn_by", "is", null)
      .execute();
    const loggedBySignature = new Map(logged.map((row) => [row.signature_id, row]));
    const countedIds = new Set(counted.map((row) => row.id));

    const newEntries = counted.filter((row) => !loggedBySignature.has(row.id));
    const gone = logged.filter((row) => row.signature_id !== null && !countedIds.has(row.signature_id));
    const changedLetters = new Set<number>([
      ...newEntries.map((r) => r.letter_id),
      ...gone.map((r) => r.letter_id).filter((id): id is number => id !== null),
    ]);
    // A readable letter not yet in the log gets its first statement (publication), even with nothing counted.
    const unnamed = await trx
      .selectFrom("letters")
      .select("id")
      .where("log_name", "is", null)
      .where("state", "in", READABLE_LETTER_STATES)
      .execute();
    for (const row of unnamed) changedLetters.add(row.id);
    if (changedLetters.size === 0) return { appended: 0, size: (await lockLog(trx)).size, letters: [] };

    const names = await letterLogNames(trx, [...changedLetters]);
    const day = utcDay(now);
    const entries: NewEntry[] = [];
    for (const row of newEntries) {
      const salt = fromBase64(row.leaf_salt.replace(/-/g, "+").replace(/_/g, "/").padEnd(44, "="))!;
      const listed = row.visibility === "listed";
      const subject = listed ? (row.display_name ?? "") : (row.sealed_identity ?? "");
      entries.push({
        entry: {
          type: ENDORSEMENT_TYPE,
          letter: names.get(row.letter_id)!,
          visibility: row.visibility,
          signer: row.kind,
          text: hexToBase64(row.content_hash),
          day,
          commit: commitment(salt, utf8(subject)),
        },
        letterId: row.letter_id,
        signatureId: row.id,
        ...(listed ? { listedName: subject, listedSalt: toBase64(salt) } : {}),
      });
    }
    for (const row of gone) {
      const endorsed = parseLogged(row.entry);
      entries.push({
        entry: {
          type: WITHDRAWAL_TYPE,
          letter: endorsed.letter,
          visibility: endorsed.visibility,
          signer: endorsed.signer,
          entry: row.idx,
        },
        letterId: row.letter_id,
        signatureId: row.signature_id,
        withdraws: row.idx,
      });
    }
    const { size: before } = await lockLog(trx);
    const statements = await statementsAfter(trx, [...changedLetters], names, entries, before);
    const { size } = await appendToLog(trx, deps.signer, [...entries, ...statements], now);
    return { appended: entries.length + statements.length, size, letters: [...changedLetters] };
  });
  // Pages and the API show log.size beside the counts: rebuild them now that it moved.
  for (const letterId of result.letters) letterChanged(letterId);
  return result;
}

function hexToBase64(hex: string): string {
  return toBase64(Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));
}

function parseLogged(text: string): EndorsementEntry {
  const entry = parseEntry(utf8(text));
  if (entry?.type !== ENDORSEMENT_TYPE)
    throw new Error("log_entries holds an endorsement row that does not parse");
  return entry;
}

/** Each letter's permanent log name, fixed now if it has none: its slug, or slug-id when that is taken. */
async function letterLogNames(trx: Kysely<Database>, letterIds: number[]): Promise<Map<number, string>> {
  const rows = await trx
    .selectFrom("letters")
    .select(["id", "slug", "log_name"])
    .where("id", "in", letterIds)
    .execute();
  const names = new Map<number, string>();
  for (const row of rows) {
    if (row.log_name) {
      names.set(row.id, row.log_name);
      continue;
    }
    const slug = row.slug
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+/, "")
      .slice(0, 80);
    const base = isLetterName(slug) ? slug : `letter-${row.id}`;
    const taken = await trx
      .selectFrom("letters")
      .select("id")
      .where("log_name", "=", base)
      .executeTakeFirst();
    const name = taken ? `${base}-${row.id}` : base;
    await trx.updateTable("letters").set({ log_name: name }).where("id", "=", row.id).execute();
    names.set(row.id, name);
  }
  return names;
}

/**
 * One statement per changed letter, with the counts the log will give once `pending` is appended: the
 * recount of the letter's entries so far plus the pending ones, by the same rule any reader applies.
 */
async function statementsAfter(
  trx: Kysely<Database>,
  letterIds: number[],
  names: Map<number, string>,
  pending: NewEntry[],
  size: number,
): Promise<NewEntry[]> {
  const statements: NewEntry[] = [];
  for (const letterId of letterIds) {
    const name = names.get(letterId)!;
    const existing = await trx
      .selectFrom("log_entries")
      .select(["idx", "entry"])
      .where("letter_id", "=", letterId)
      .where("kind", "in", ["endorsement", "withdrawal"])
      .orderBy("idx")
      .execute();
    const indexed = [
      ...existing.map((row) => ({ index: row.idx, entry: parseEntry(utf8(row.entry)) })),
      ...pending.flatMap((e, i) => (e.letterId === letterId ? [{ index: size + i, entry: e.entry }] : [])),
    ];
    const { counts } = recountIndexed(indexed, name);
    const version = await trx
      .selectFrom("letters")
      .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
      .select("letter_versions.content_hash")
      .where("letters.id", "=", letterId)
      .executeTakeFirst();
    if (!version) continue;
    statements.push({
      entry: {
        type: STATEMENT_TYPE,
        letter: name,
        total: counts.total,
        listed: counts.listed,
        undisclosed: counts.undisclosed,
        text: hexToBase64(version.content_hash),
      },
      letterId,
      signatureId: null,
    });
  }
  return statements;
}
