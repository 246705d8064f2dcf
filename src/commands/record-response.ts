import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { AppError, invalidFields } from "../domain/app-error.ts";
import {
  MAX_RESPONSE_DOCUMENT_BYTES,
  responseDocumentPath,
  sniffDocumentType,
} from "../domain/response-documents.ts";
import { textProblems } from "../domain/text-input.ts";
import { stripDocumentMetadata, UnreadableDocument } from "../pdf/strip-document-metadata.ts";
import { type Actor, actorUserId } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { writeFileWhole } from "../store/files.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter, isPastDate, letterForUpdate, recipientOf } from "../store/recipient-rows.ts";

export type RecordResponseInput = {
  actor: Actor;
  letterId: number;
  recipientId: number;
  form: { receivedOn: string; summary: string; isPublic: boolean };
  /** The response itself (a PDF, or a scan or photo of it), if there is one. */
  document?: Uint8Array | undefined;
};

export const RESPONSE_SUMMARY_MAX = 4000;

/**
 * Records a recipient's response: when it came, what it says in short, the document if there is one, and
 * whether the public may see it. A private response stays in the console only: it does not appear on the
 * tracker, its document is never served, and it is not counted as "responded" in the public sentence.
 */
export async function recordResponse(
  deps: Pick<CommandDeps, "store" | "config">,
  input: RecordResponseInput,
  now: Date,
): Promise<{ id: number }> {
  await authoriseForLetter(deps.store.db, input.actor, "recipients.manage", input.letterId);
  const schema = z.object({
    receivedOn: z
      .string()
      .trim()
      .refine((v) => isPastDate(v, now), "delivery.dateInvalid"),
    summary: z
      .string({ error: "field.required" })
      .trim()
      .min(1, "field.required")
      .max(RESPONSE_SUMMARY_MAX, "field.tooLong"),
    isPublic: z.boolean(),
  });
  const badText = textProblems(input.form);
  if (Object.keys(badText).length > 0) throw new AppError("validation", {}, badText);
  const parsed = schema.safeParse(input.form);
  if (!parsed.success) throw invalidFields(parsed.error.issues);

  let document: { sha256: string; type: string; bytes: number; path: string } | undefined;
  if (input.document && input.document.length > 0) {
    if (input.document.length > MAX_RESPONSE_DOCUMENT_BYTES)
      throw new AppError("validation", {}, { document: "responses.documentTooLarge" });
    const type = sniffDocumentType(input.document);
    if (!type) throw new AppError("validation", {}, { document: "responses.documentType" });
    // Published as stored: without its maker's metadata (a photo's GPS position, a PDF's author).
    const stripped = await stripDocumentMetadata(input.document, type).catch((error: unknown) => {
      if (error instanceof UnreadableDocument)
        throw new AppError("validation", {}, { document: "responses.documentUnreadable" });
      throw error;
    });
    const sha256 = createHash("sha256").update(stripped).digest("hex");
    const relative = responseDocumentPath(sha256, type);
    // Written before the transaction; a file whose transaction failed has no row and is never served.
    await writeFileWhole(path.join(deps.config.dataDir, relative), stripped);
    document = { sha256, type, bytes: stripped.length, path: relative };
  }

  const { receivedOn, summary, isPublic } = parsed.data;
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "recipients.manage");
    const recipient = await recipientOf(trx, letter.id, input.recipientId);
    let uploadId: number | null = null;
    if (document) {
      const existing = await trx
        .selectFrom("uploads")
        .select("id")
        .where("sha256", "=", document.sha256)
        .where("path", "=", document.path)
        .executeTakeFirst();
      uploadId =
        existing?.id ??
        (
          await trx
            .insertInto("uploads")
            .values({
              sha256: document.sha256,
              media_type: document.type,
              bytes: document.bytes,
              path: document.path,
              created_at: at,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
    }
    const { id } = await trx
      .insertInto("responses")
      .values({
        letter_id: letter.id,
        recipient_id: recipient.id,
        received_at: receivedOn,
        summary,
        document_upload_id: uploadId,
        is_public: isPublic ? 1 : 0,
        created_at: at,
        created_by: actorUserId(input.actor),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: "response.record",
        subjectType: "response",
        subjectId: id,
        detail: {
          recipient: recipient.id,
          received_on: receivedOn,
          public: isPublic,
          document: uploadId !== null,
        },
      },
      now,
    );
    return { id };
  });
  if (isPublic) letterChanged(input.letterId);
  return result;
}
