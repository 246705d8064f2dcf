import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink, utimes } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";

/*
 * The local mailbox: where mail goes when SMTP_URL is unset, so a first run can follow its set-up and
 * confirmation links without a mail server. One RFC 822 `.eml` file per message in `${DATA_DIR}/mailbox/`,
 * named `<UTC day it was stored, YYYYMMDD>-<hash of the Message-ID>.eml`. The name depends only on the
 * message and the day, so storing the same message again (a retry after a crash) replaces the file instead
 * of adding a second copy.
 *
 * The files hold addresses and one-time links, and their names and times would tell when someone signed:
 * so the directory and files are private to the server's user, a file's name carries the day only, its
 * modification time (and the directory's) is set back to that day's midnight, a confirmation mail's copy is
 * erased as soon as its endorsement is confirmed (eraseLocalMail), and every copy is erased once its day is
 * over (at the next store or read), so none is kept for more than 24 hours. What the file system keeps
 * regardless (a file's inode change time) is described in docs/threat-model.md.
 */

export type LocalMail = { id: string; date: string; subject: string; text: string };

const FILE_NAME = /^((\d{8})-[0-9a-f]{16})\.eml$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function mailboxDir(dataDir: string): string {
  return path.join(dataDir, "mailbox");
}

function dayStamp(now: Date): string {
  return now.toISOString().slice(0, 10).replace(/-/g, "");
}

function midnight(now: Date): Date {
  return new Date(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
}

function hashOf(messageId: string): string {
  return createHash("sha256").update(messageId).digest("hex").slice(0, 16);
}

/** Writes a raw message atomically (temp file, fsync, rename): a reader never sees half a message. */
export async function storeInLocalMailbox(
  dataDir: string,
  message: { messageId: string; raw: Buffer },
  now: Date = new Date(),
): Promise<string> {
  const dir = mailboxDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await eraseExpired(dir, now);
  const name = `${dayStamp(now)}-${hashOf(message.messageId)}`;
  const file = path.join(dir, `${name}.eml`);
  // Dot-prefixed and without the .eml suffix, so readLocalMailbox never lists a temp file.
  const temp = path.join(dir, `.${name}.${randomBytes(4).toString("hex")}.tmp`);
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
  await utimes(temp, midnight(now), midnight(now));
  await rename(temp, file);
  await utimes(dir, midnight(now), midnight(now));
  return file;
}

/**
 * Erases the copy of one message stored on any day from `since` to `now` (nothing happens when there is
 * none). Each day's file name is tried rather than the directory listed: a busy day's mailbox holds every
 * confirmation mail of that day, and listing it at each confirmation would cost more the more people sign.
 */
export async function eraseLocalMail(
  dataDir: string,
  messageId: string,
  now: Date,
  since: Date = now,
): Promise<void> {
  const dir = mailboxDir(dataDir);
  const names: string[] = [];
  for (let day = midnight(since).getTime(); day <= now.getTime(); day += DAY_MS)
    names.push(`${dayStamp(new Date(day))}-${hashOf(messageId)}.eml`);
  const erased = await Promise.all(
    names.map((name) =>
      unlink(path.join(dir, name)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return false;
          throw error;
        },
      ),
    ),
  );
  if (erased.includes(true)) await utimes(dir, midnight(now), midnight(now));
}

/** Every message stored on an earlier day than `now`'s (or under an older naming) goes. */
async function eraseExpired(dir: string, now: Date): Promise<void> {
  const today = dayStamp(now);
  const doomed = (await namesIn(dir)).filter((name) => {
    if (!name.endsWith(".eml")) return false;
    const day = FILE_NAME.exec(name)?.[2];
    return day === undefined || day < today;
  });
  if (doomed.length === 0) return;
  await Promise.all(doomed.map((name) => rm(path.join(dir, name), { force: true })));
  await utimes(dir, midnight(now), midnight(now));
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * The newest messages first (at most `limit`, so a long-running first install stays quick to show), after
 * erasing those whose day is over.
 */
export async function readLocalMailbox(
  dataDir: string,
  limit = 100,
  now: Date = new Date(),
): Promise<LocalMail[]> {
  const dir = mailboxDir(dataDir);
  await eraseExpired(dir, now);
  const ids = (await namesIn(dir))
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
  // Names order by day only; within a day, by the messages' own Date headers.
  return mails
    .filter((mail): mail is LocalMail => mail !== undefined)
    .sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : 0));
}
