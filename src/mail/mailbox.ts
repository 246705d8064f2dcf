import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";

/*
 * The local mailbox: where mail goes when SMTP_URL is unset, so a first run can follow its set-up and
 * confirmation links without a mail server. One RFC 822 `.eml` file per message in `${DATA_DIR}/mailbox/`,
 * named `<Date header, compact UTC>-<hash of the Message-ID>.eml`. The name depends only on the message, so
 * storing the same message again (a retry after a crash) replaces the file instead of adding a second copy,
 * and names sort by date. The files hold addresses and one-time links: the directory and files are private
 * to the server's user.
 */

export type LocalMail = { id: string; date: string; subject: string; text: string };

const FILE_NAME = /^(\d{8}T\d{9}Z-[0-9a-f]{16})\.eml$/;

export function mailboxDir(dataDir: string): string {
  return path.join(dataDir, "mailbox");
}

/** Writes a raw message atomically (temp file, fsync, rename): a reader never sees half a message. */
export async function storeInLocalMailbox(
  dataDir: string,
  message: { date: Date; messageId: string; raw: Buffer },
): Promise<string> {
  const dir = mailboxDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = message.date.toISOString().replace(/[-:.]/g, "");
  const hash = createHash("sha256").update(message.messageId).digest("hex").slice(0, 16);
  const file = path.join(dir, `${stamp}-${hash}.eml`);
  // Dot-prefixed and without the .eml suffix, so readLocalMailbox never lists a temp file.
  const temp = path.join(dir, `.${stamp}-${hash}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(message.raw);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  return file;
}

/** The newest messages first (at most `limit`, so a long-running first install stays quick to show). */
export async function readLocalMailbox(dataDir: string, limit = 100): Promise<LocalMail[]> {
  const dir = mailboxDir(dataDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const ids = names
    .map((name) => FILE_NAME.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort()
    .reverse()
    .slice(0, limit);
  const mails = await Promise.all(
    ids.map(async (id): Promise<LocalMail | undefined> => {
      let raw: Buffer;
      try {
        raw = await readFile(path.join(dir, `${id}.eml`));
      } catch (error) {
        // Removed by someone between listing and reading: it is simply no longer in the mailbox.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      const parsed = await simpleParser(raw);
      return {
        id,
        date: parsed.date?.toISOString() ?? "",
        subject: parsed.subject ?? "",
        text: parsed.text ?? "",
      };
    }),
  );
  return mails.filter((mail): mail is LocalMail => mail !== undefined);
}
