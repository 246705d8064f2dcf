import { auditLetterLog } from "../queries/audit-letter-log.ts";
import {
  type KeyCommandIo,
  openCoalitionKeyFile,
  parseCliOptions,
  runOnConfiguredStore,
} from "./cli-options.ts";

/*
 * `undersigned audit-count --letter SLUG --key FILE [--passphrase-file FILE]`: the coalition's check that
 * the letter's undisclosed count in the transparency log is made of confirmed, sealed endorsements
 * (queries/audit-letter-log.ts). Runs on a machine with the database and the coalition key file; the key and what
 * it opens stay here, and the report names entries by index only.
 */

export const AUDIT_COUNT_HELP = `Usage: undersigned audit-count --letter SLUG --key FILE [--passphrase-file FILE]

Opens every undisclosed endorsement of the letter with the coalition key file and checks that each one
counting in the transparency log is the commitment of a sealed record whose endorsement is approved and
counted, and that no record stands behind two entries. Prints no name. The passphrase is asked on the
terminal, or read from UNDERSIGNED_KEY_PASSPHRASE or --passphrase-file.`;

export async function auditCountCommand(argv: string[], io: KeyCommandIo): Promise<number> {
  const command = "undersigned audit-count";
  const options = parseCliOptions(
    argv,
    { letter: { type: "string" }, key: { type: "string" }, "passphrase-file": { type: "string" } },
    io,
    { command, help: AUDIT_COUNT_HELP },
  );
  if (typeof options === "number") return options;
  const { letter, key } = options;
  if (!letter || !key) {
    io.err(`${command}: --letter and --key are required\n${AUDIT_COUNT_HELP}`);
    return 2;
  }
  const keyPair = await openCoalitionKeyFile({ ...options, key }, io, command);
  if (typeof keyPair === "number") return keyPair;

  return runOnConfiguredStore(io, command, async (store) => {
    const audit = await auditLetterLog(store, { letterSlug: letter, keyPair });
    if (typeof audit === "string") return audit;
    io.out(
      `letter ${audit.letter}: ${audit.counting} undisclosed endorsements count in the log; ${audit.matched} are confirmed sealed endorsements opened with this key\n`,
    );
    if (audit.unsalted > 0)
      io.out(
        `${audit.unsalted} of them were sealed before salts went inside records: matched by the commitment the database keeps\n`,
      );
    if (audit.waiting > 0) io.out(`${audit.waiting} counted endorsements wait for the log's next run\n`);
    for (const problem of audit.problems) io.err(`FAIL ${problem}`);
    if (audit.problems.length === 0)
      io.out("OK: every undisclosed commitment in the log is a real endorsement\n");
    return audit.problems.length === 0 ? 0 : 1;
  });
}
