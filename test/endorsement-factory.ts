import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { seal } from "../src/crypto/seal.ts";
import { sealIdentity } from "../src/crypto/sealed-identity.ts";
import { countedFlag } from "../src/domain/counts.ts";
import { displayName, matchKey } from "../src/domain/names.ts";
import type {
  SignatureKind,
  SignatureSource,
  SignatureState,
  Visibility,
} from "../src/domain/signature-states.ts";
import type { Database } from "../src/store/schema.ts";

/**
 * One endorsement stored the way sign-letter.ts stores it: listed ones with their public fields and match
 * key, undisclosed ones with nothing but kind and visibility in the clear and their identity sealed to the
 * campaign key. Returns its id, for console tests that act on it.
 */
export async function insertEndorsement(
  db: Kysely<Database>,
  letter: { id: number; versionId: number },
  publicKey: string,
  e: {
    name: string;
    visibility?: Visibility;
    kind?: SignatureKind;
    state?: SignatureState;
    source?: SignatureSource;
    category?: string;
    country?: string;
    email?: string;
    /** Confirmation time; it orders the queue and decides which of two duplicates is the earlier. */
    at?: string;
  },
): Promise<number> {
  const visibility = e.visibility ?? "listed";
  const listed = visibility === "listed";
  const at = e.at ?? "2026-02-01T10:00:00.000Z";
  const name = displayName(e.name);
  const identity = listed
    ? null
    : await sealIdentity(
        { v: 1, kind: e.kind ?? "organisation", name, category: e.category, country: e.country },
        publicKey,
      );
  const row = await db
    .insertInto("signatures")
    .values({
      letter_id: letter.id,
      version_id: letter.versionId,
      kind: e.kind ?? "organisation",
      visibility,
      category: listed ? (e.category ?? null) : null,
      country: listed ? (e.country ?? null) : null,
      display_name: listed ? name : null,
      match_key: listed ? matchKey(name) : null,
      sealed_identity: identity?.sealed ?? null,
      undisclosed_commit: identity?.commit ?? null,
      sealed_contact: await seal(JSON.stringify({ v: 1, email: e.email ?? "office@example.org" }), publicKey),
      state: e.state ?? "confirmed",
      counted: countedFlag(e.state ?? "confirmed"),
      source: e.source ?? "form",
      listed_salt: listed ? randomBytes(32).toString("base64url") : null,
      created_at: at,
      confirmed_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
