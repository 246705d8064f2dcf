import { createHash } from "node:crypto";
import path from "node:path";
import sharp from "sharp";
import { AppError } from "../domain/app-error.ts";
import {
  type ImageType,
  MAX_LOGO_BYTES,
  sniffImageType,
  uploadFileName,
  uploadUrl,
} from "../domain/uploads.ts";
import { type Actor, auditActor } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { writeFileWhole } from "../store/files.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { authoriseForLetter } from "../store/recipient-rows.ts";

export type UploadPublisherLogoInput = { actor: Actor; letterId: number; bytes: Uint8Array };

/** Logos are shown small; anything larger only costs readers on slow connections. */
const MAX_LOGO_SIDE = 1024;
/** Refuse decompression bombs before decoding: a tiny file can claim a gigapixel canvas. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Sets a letter's publisher logo. The file must really be a PNG, JPEG or WebP (by its bytes, not its name)
 * of at most 2 MB; it is then decoded and re-encoded, so what is stored and served is pixels we produced:
 * metadata such as GPS coordinates in EXIF, comments and any trailing payload are gone. The file is stored
 * under DATA_DIR/uploads by the hash of its content, and recorded in `uploads`.
 */
export async function uploadPublisherLogo(
  deps: Pick<CommandDeps, "store"> & { config: Pick<CommandDeps["config"], "dataDir"> },
  input: UploadPublisherLogoInput,
  now: Date,
): Promise<{ url: string }> {
  await authoriseForLetter(deps.store.db, input.actor, "letter.edit", input.letterId);
  if (input.bytes.length > MAX_LOGO_BYTES)
    throw new AppError("validation", {}, { logo: "letters.logoTooLarge" });
  const type = sniffImageType(input.bytes);
  if (!type) throw new AppError("validation", {}, { logo: "letters.logoType" });
  const encoded = await reencode(input.bytes, type);
  const sha256 = createHash("sha256").update(encoded).digest("hex");
  const fileName = uploadFileName(sha256, type);

  // Written before the transaction (file systems do not roll back); a file left behind by a failed
  // transaction is harmless, because only files with an `uploads` row are served.
  await writeFileWhole(path.join(deps.config.dataDir, "uploads", fileName), encoded);

  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    // Again inside the transaction, in case the letter moved to another campaign while the file was written.
    const campaignId = await authoriseForLetter(trx, input.actor, "letter.edit", input.letterId);
    const existing = await trx
      .selectFrom("uploads")
      .select("id")
      .where("sha256", "=", sha256)
      .where("media_type", "=", type)
      // Response documents are uploads rows too, kept outside the public folder: never reuse one here.
      .where("path", "=", `uploads/${fileName}`)
      .executeTakeFirst();
    const uploadId =
      existing?.id ??
      (
        await trx
          .insertInto("uploads")
          .values({
            sha256,
            media_type: type,
            bytes: encoded.length,
            path: `uploads/${fileName}`,
            created_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    await trx
      .updateTable("letters")
      .set({ publisher_logo_upload_id: uploadId, updated_at: at })
      .where("id", "=", input.letterId)
      .execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "letter.logo",
        subjectType: "letter",
        subjectId: input.letterId,
        campaignId,
        letterId: input.letterId,
        detail: { upload: uploadId, media_type: type, bytes: encoded.length },
      },
      now,
    );
    return { url: uploadUrl(sha256, type) };
  });
  // After the commit, so the public page rebuilt next already shows the change.
  letterChanged(input.letterId);
  return result;
}

async function reencode(bytes: Uint8Array, type: ImageType): Promise<Buffer> {
  try {
    // rotate() applies the EXIF orientation to the pixels before the metadata that carried it is dropped
    // (sharp keeps no metadata unless asked to).
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .rotate()
      .resize({ width: MAX_LOGO_SIDE, height: MAX_LOGO_SIDE, fit: "inside", withoutEnlargement: true });
    switch (type) {
      case "image/png":
        return await image.png({ compressionLevel: 9 }).toBuffer();
      case "image/jpeg":
        return await image.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
      case "image/webp":
        return await image.webp({ quality: 85 }).toBuffer();
    }
  } catch {
    // Right signature, broken or hostile content.
    throw new AppError("validation", {}, { logo: "letters.logoUnreadable" });
  }
}
