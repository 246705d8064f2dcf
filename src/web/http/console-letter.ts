import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/app-error.ts";
import type { EditableLetter } from "../../domain/editable-letter.ts";
import { consoleLetterHeading } from "../../queries/console-letter-heading.ts";
import { getLetterForEditing } from "../../queries/get-letter-for-editing.ts";
import type { Store } from "../../store/db.ts";
import type { ImportPageLetter } from "../forms/import-steps.ts";
import { requireUser } from "../session.ts";
import { ID } from "./ids.ts";

/**
 * The letter a console route is about (`/admin/letters/:id/…`), for a signed-in user; 404 for an id that is
 * not a number or not a letter. Whether this user may act on it is the route's next step.
 */
export async function consoleLetterOf(
  db: Store["db"],
  request: FastifyRequest<{ Params: { id: string } }>,
): Promise<EditableLetter> {
  requireUser(request);
  const id = ID.test(request.params.id) ? Number(request.params.id) : undefined;
  const letter = id === undefined ? undefined : await getLetterForEditing(db, id);
  if (!letter) throw new AppError("not_found");
  return letter;
}

export type ImportLetterOf = { letter: ImportPageLetter; slug: string };

/**
 * The letter a console import is about, with what the import page needs (its sign-on settings and the
 * coalition's public key), found whoever asks: whether this person may import is the route's next step.
 */
export async function importLetterOf(
  db: Store["db"],
  request: FastifyRequest<{ Params: { id: string } }>,
): Promise<ImportLetterOf> {
  if (!ID.test(request.params.id)) throw new AppError("not_found");
  const row = await consoleLetterHeading(db, Number(request.params.id))
    .select(["letters.signers", "letters.allow_undisclosed", "letters.categories"])
    .executeTakeFirst();
  if (!row) throw new AppError("not_found");
  return {
    slug: row.slug,
    letter: {
      id: row.id,
      campaignId: row.campaign_id,
      title: row.title,
      publicKey: row.public_key ?? "",
      settings: {
        signers: row.signers,
        allowUndisclosed: row.allow_undisclosed === 1,
        categories: JSON.parse(row.categories) as string[],
      },
    },
  };
}
