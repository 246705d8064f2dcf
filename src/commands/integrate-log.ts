import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { utcDay } from "../domain/coarse-time.ts";
import { READABLE_LETTER_STATES } from "../domain/public-letters.ts";
import { toBase64, utf8 } from "../domain/tlog/bytes.ts";
import {
  commitment,
  ENDORSEMENT_TYPE,
  type EndorsementEntry,
  isLetterName,
  parseEntry,
  recountIndexed,
  SALT_BYTES,
  STATEMENT_TYPE,
  WITHDRAWAL_TYPE,
} from "../domain/tlog/entries.ts";
import type { SignerKey } from "../domain/tlog/note.ts";
import { isCounted } from "../queries/counted-signatures.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database } from "../store/schema.ts";
import { appendToLog, lockLog, type NewEntry } from "../store/transparency-log.ts";

/*
 * Brings the log up to the counted set, the server's own periodic work (every few seconds): an endorsement
 * entry for each counted endorsement the log lacks, a withdrawal entry for each logged one that no longer
 * counts (withdrawn, rejected, merged) or no longer counts as logged (its visibility changed: withdrawn, then
 * endorsed again as it is now), and for each letter that changed a statement entry binding its counts to the
 * tree size. Entries so follow a coordinator's action or a release, never a signer's moment, and their `day`
 * is the day the endorsement started counting, not the day anyone signed.
 *
 * Nothing else appends: a command changes `signatures.counted` or `visibility` (directly for a coordinator,
 * through the release for a signer) and the next run logs it. The counting rule the log's readers apply, per
 * letter, visibility and signer, is endorsements minus withdrawals (domain/tlog/entries.ts, recountIndexed),
 * so the log's count of a letter always equals its counted rows.
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
        "signatures.listed_salt",
        "signatures.undisclosed_commit",
        "letter_versions.content_hash",
      ])
      .where(isCounted)
      .where("letters.state", "in", READABLE_LETTER_STATES)
      .execute();
    const logged = await trx
      .selectFrom("log_entries")
      .select(["idx", "signature_id", "letter_id", "entry", "listed_name"])
      .where("kind", "=", "endorsement")
      .where("withdrawn_by", "is", null)
      .execute();
    const loggedBySignature = new Map(logged.map((row) => [row.signature_id, row]));
    // An endorsement counts in the log as it is now: one whose visibility changed since it was logged (an
    // undisclosed endorsement disclosed at its threshold), or whose listed name a coordinator corrected (the
    // commitment is over the name, so the names file could not follow otherwise), is withdrawn and logged again.
    const current = new Map(
      counted
        .filter((row) => {
          const entry = loggedBySignature.get(row.id);
          if (!entry) return true;
          if (parseLogged(entry.entry).visibility !== row.visibility) return false;
          return row.visibility !== "listed" || entry.listed_name === (row.display_name ?? "");
        })
        .map((row) => [row.id, row]),
    );

    const newEntries = counted.filter((row) => !loggedBySignature.has(row.id) || !current.has(row.id));
    const gone = logged.filter((row) => row.signature_id !== null && !current.has(row.signature_id));
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
    // Withdrawals first: an endorsement logged again (its visibility changed) stops counting, then counts.
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
    for (const row of newEntries) {
      const endorsement = {
        type: ENDORSEMENT_TYPE,
        letter: names.get(row.letter_id)!,
        visibility: row.visibility,
        signer: row.kind,
        text: hexToBase64(row.content_hash),
        day,
      } as const;
      const base = { letterId: row.letter_id, signatureId: row.id };
      if (row.visibility === "undisclosed") {
        // Its commitment was made where the record was sealed, the salt inside; no salt is readable here.
        if (!row.undisclosed_commit)
          throw new Error(`signature ${row.id}: an undisclosed endorsement without its commitment`);
        entries.push({ entry: { ...endorsement, commit: row.undisclosed_commit }, ...base });
        continue;
      }
      // Logged again under a new name: a fresh salt, so the withdrawn commitment's old name (dropped from
      // the names file) cannot be confirmed by guessing it with the salt still published beside the new one.
      const salt = await listedSalt(trx, row, loggedBySignature.has(row.id));
      const name = row.display_name ?? "";
      entries.push({
        entry: { ...endorsement, commit: commitment(salt, utf8(name)) },
        ...base,
        listedName: name,
        listedSalt: toBase64(salt),
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

/**
 * A listed endorsement's salt; one that became listed after signing (disclosed at its threshold), or is
 * logged again, is given one now, to be published with its name.
 */
async function listedSalt(
  trx: Kysely<Database>,
  row: { id: number; listed_salt: string | null },
  fresh: boolean,
): Promise<Uint8Array> {
  if (row.listed_salt && !fresh) return Uint8Array.from(Buffer.from(row.listed_salt, "base64url"));
  const salt = randomBytes(SALT_BYTES);
  await trx
    .updateTable("signatures")
    .set({ listed_salt: salt.toString("base64url") })
    .where("id", "=", row.id)
    .execute();
  return new Uint8Array(salt);
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
