import { type KeyPair, openSealed } from "../crypto/seal.ts";
import type { EndorsementRecord, ExportFormat } from "../domain/endorsement-file.ts";
import { serialiseEndorsements } from "../domain/endorsement-file.ts";
import { displayName } from "../domain/names.ts";
import { letterOfKey } from "../queries/letter-of-key.ts";
import { listSignaturesForExport } from "../queries/list-signatures-for-export.ts";
import type { Store } from "../store/db.ts";
import {
  type KeyCommandIo,
  openCoalitionKeyFile,
  parseCliOptions,
  runOnConfiguredStore,
} from "./cli-options.ts";

/*
 * `undersigned export signatures --letter SLUG --key FILE [--format csv|json] [--passphrase-file FILE]`:
 * the full list of a letter's counted endorsements, undisclosed ones included, opened on the machine this
 * runs on with the coalition key file. The sealed boxes are read from the database; the key and what it
 * opens never go to the server. The passphrase comes, as for keygen, from the terminal, from
 * UNDERSIGNED_KEY_PASSPHRASE or from --passphrase-file, never from argv. The list goes to stdout.
 */

export const EXPORT_SIGNATURES_HELP = `Usage: undersigned export signatures --letter SLUG --key FILE [--format csv|json] [--passphrase-file FILE]

Writes every counted endorsement of the letter, undisclosed ones opened with the coalition key file, to
standard output as an endorsement file (columns: name, name_alt, kind, category, country, website, contact,
email, visibility, signed_at). The passphrase is asked on the terminal, or read from
UNDERSIGNED_KEY_PASSPHRASE or --passphrase-file.`;

type Opened = Partial<Record<"kind" | "name" | "name_alt" | "category" | "country" | "website", string>>;
type OpenedContact = Partial<Record<"contact_person" | "email", string>>;

async function openJson<T>(box: string | null, keyPair: KeyPair): Promise<T | undefined> {
  return box ? (JSON.parse(await openSealed(box, keyPair)) as T) : undefined;
}

export async function exportSignaturesCommand(argv: string[], io: KeyCommandIo): Promise<number> {
  const command = "undersigned export signatures";
  const options = parseCliOptions(
    argv,
    {
      letter: { type: "string" },
      key: { type: "string" },
      format: { type: "string", default: "csv" },
      "passphrase-file": { type: "string" },
    },
    io,
    { command, help: EXPORT_SIGNATURES_HELP },
  );
  if (typeof options === "number") return options;
  const { letter, key } = options;
  const format = options.format as ExportFormat;
  if (!letter || !key || (format !== "csv" && format !== "json")) {
    io.err(`${command}: --letter and --key are required; --format is csv or json\n${EXPORT_SIGNATURES_HELP}`);
    return 2;
  }
  const keyPair = await openCoalitionKeyFile({ ...options, key }, io, command);
  if (typeof keyPair === "number") return keyPair;

  return runOnConfiguredStore(io, command, async (store) => {
    const result = await exportSignatures(store, { letterSlug: letter, keyPair, format });
    if (typeof result === "string") return result;
    io.out(result.text);
    io.err(`${command}: ${result.count} endorsements`);
    return 0;
  });
}

/**
 * The export itself, on an open store: the endorsement file's text, or a one-line refusal (unknown letter,
 * or a key that is not the letter's campaign key).
 */
export async function exportSignatures(
  store: Store,
  input: { letterSlug: string; keyPair: KeyPair; format: ExportFormat },
): Promise<{ text: string; count: number } | string> {
  const letter = await letterOfKey(store.db, input.letterSlug, input.keyPair.publicKey);
  if (typeof letter === "string") return letter;
  const rows = await listSignaturesForExport(store.db, letter.id, { listedOnly: false });
  const records: EndorsementRecord[] = [];
  for (const row of rows) {
    const identity = await openJson<Opened>(row.sealedIdentity, input.keyPair);
    const contact = await openJson<OpenedContact>(row.sealedContact, input.keyPair);
    // Names sealed in the browser are sealed as typed; Zawgyi is converted here, as the server would have.
    const name = row.displayName ?? (identity?.name ? displayName(identity.name) : null);
    records.push({
      name,
      name_alt: row.displayNameAlt ?? (identity?.name_alt ? displayName(identity.name_alt) : null),
      kind: row.kind,
      category: row.category ?? identity?.category ?? null,
      country: row.country ?? identity?.country ?? null,
      website: row.website ?? identity?.website ?? null,
      contact: contact?.contact_person ?? null,
      email: contact?.email ?? null,
      visibility: row.visibility,
      signed_at: row.confirmedAt,
    });
  }
  return { text: serialiseEndorsements(records, input.format), count: records.length };
}
