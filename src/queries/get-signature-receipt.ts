import type { Kysely } from "kysely";
import { openReceiptSalt } from "../crypto/receipt-salt.ts";
import { receiptCode } from "../crypto/signer-links.ts";
import { sha256 } from "../crypto/tokens.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { chooseTranslation } from "../domain/public-letters.ts";
import type { SignatureKind, SignatureState, Visibility } from "../domain/signature-states.ts";
import {
  conditionOf,
  type ListingCondition,
  type ThresholdState,
  thresholdState,
} from "../domain/threshold-disclosure.ts";
import { toBase64 } from "../domain/tlog/bytes.ts";
import type { Database } from "../store/schema.ts";
import { isCounted } from "./counted-signatures.ts";
import { type EndorsementProof, getEndorsementProof } from "./get-endorsement-proof.ts";
import { loadTranslations } from "./translations.ts";

export type SignatureReceipt = {
  signatureId: number;
  state: SignatureState;
  visibility: Visibility;
  kind: SignatureKind;
  /** Listed endorsements only: an undisclosed one has no name the server could show. */
  displayName: string | null;
  displayNameAlt: string | null;
  receiptCode: string;
  /**
   * An undisclosed endorsement's log commitment salt (standard base64), opened with the manage link: the
   * signer's proof that the logged commitment is theirs, which the coalition can match to the sealed record.
   */
  salt: string | null;
  /** Its receipt in the transparency log, while it counts there. */
  log: EndorsementProof | null;
  createdAt: string;
  confirmedAt: string | null;
  /** The release at which a change of this endorsement reaches the public count; null when none waits. */
  countChangeAt: string | null;
  /** A threshold endorsement's condition and where it stands (waiting, met, listed since a day). */
  listing:
    | { condition: ListingCondition; state: ThresholdState | undefined; listedOthers: number }
    | undefined;
  letter: {
    slug: string;
    state: LetterState;
    title: string;
    versionNumber: number;
    contentHash: string;
    /** Hours between count releases (domain/count-release.ts). */
    releaseEveryHours: number;
  };
};

/**
 * By id (the confirmation link found it), by manage link (which also opens the salt), or by a confirmation
 * link that still waits to be used: unconfirmed and not expired at `now`, undefined for anything else.
 * Opening that link only looks: confirming takes the button on the page (a POST), because mail scanners and
 * link previews open links too, and must not endorse a letter for the person.
 */
type Lookup =
  | { signatureId: number; manageToken?: string; pendingConfirmToken?: undefined }
  | { signatureId?: undefined; manageToken: string; pendingConfirmToken?: undefined }
  | { signatureId?: undefined; manageToken?: undefined; pendingConfirmToken: string };

/**
 * What a signer's receipt and manage pages show: the letter and version endorsed, the state, and for a
 * listed endorsement its public name. Nothing else is readable: identity and contact are sealed.
 */
export async function getSignatureReceipt(
  db: Kysely<Database>,
  lookup: Lookup & { slug: string; language: string; now: Date },
): Promise<SignatureReceipt | undefined> {
  const row = await db
    .selectFrom("signatures")
    .innerJoin("letters", "letters.id", "signatures.letter_id")
    .innerJoin("letter_versions", "letter_versions.id", "signatures.version_id")
    .select([
      "signatures.id",
      "signatures.state",
      "signatures.visibility",
      "signatures.kind",
      "signatures.display_name",
      "signatures.display_name_alt",
      "signatures.listed_salt",
      "signatures.undisclosed_commit",
      "signatures.receipt_salt_box",
      "signatures.created_at",
      "signatures.confirmed_at",
      "signatures.count_change_at",
      "signatures.version_id",
      "signatures.disclose_threshold",
      "signatures.disclose_on",
      "signatures.disclosed_on",
      "letters.id as letter_id",
      "letters.slug",
      "letters.state as letter_state",
      "letters.default_language",
      "letters.release_every_hours",
      "letter_versions.number",
      "letter_versions.content_hash",
    ])
    .where("letters.slug", "=", lookup.slug)
    .$if(lookup.signatureId !== undefined, (q) => q.where("signatures.id", "=", lookup.signatureId!))
    .$if(lookup.manageToken !== undefined && lookup.signatureId === undefined, (q) =>
      q.where("signatures.manage_token_hash", "=", sha256(lookup.manageToken!)),
    )
    .$if(lookup.pendingConfirmToken !== undefined, (q) =>
      q
        .where("signatures.confirm_token_hash", "=", sha256(lookup.pendingConfirmToken!))
        .where("signatures.state", "=", "unconfirmed")
        .where("signatures.confirm_expires_at", ">", lookup.now.toISOString()),
    )
    .executeTakeFirst();
  if (!row) return undefined;
  const salt =
    row.receipt_salt_box && lookup.manageToken
      ? openReceiptSalt(row.receipt_salt_box, lookup.manageToken)
      : null;
  const condition = conditionOf(row);
  const listedOthers = condition ? await countListedOthers(db, row.letter_id, row.id) : 0;
  const translations = (await loadTranslations(db, [row.version_id])).get(row.version_id) ?? [];
  const title = chooseTranslation(translations, lookup.language, row.default_language)?.title ?? row.slug;
  return {
    signatureId: row.id,
    state: row.state,
    visibility: row.visibility,
    kind: row.kind,
    displayName: row.visibility === "listed" ? row.display_name : null,
    displayNameAlt: row.visibility === "listed" ? row.display_name_alt : null,
    receiptCode: receiptCode(row.listed_salt ?? row.undisclosed_commit ?? String(row.id)),
    salt: salt ? toBase64(salt) : null,
    log: await getEndorsementProof(db, row.id),
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    countChangeAt: row.count_change_at,
    listing: condition && {
      condition,
      state: thresholdState(
        { visibility: row.visibility, state: row.state, disclosedOn: row.disclosed_on },
        condition,
        listedOthers,
        lookup.now,
      ),
      listedOthers,
    },
    letter: {
      slug: row.slug,
      state: row.letter_state,
      title,
      versionNumber: row.number,
      contentHash: row.content_hash,
      releaseEveryHours: row.release_every_hours,
    },
  };
}

/** The letter's counted listed endorsements other than this one: what its condition waits for. */
async function countListedOthers(
  db: Kysely<Database>,
  letterId: number,
  signatureId: number,
): Promise<number> {
  const row = await db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "listed")
    .where(isCounted)
    .where("id", "<>", signatureId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
