import { createReadStream } from "node:fs";
import path from "node:path";
import { AppError } from "../../../domain/app-error.ts";
import { isImageType, uploadFileName } from "../../../domain/uploads.ts";
import type { RouteModule } from "../../app-deps.ts";

const FILE = /^([0-9a-f]{64})\.(png|jpg|webp)$/;

/**
 * Publisher logos at /uploads/<sha256>.<ext>. Only files recorded in `uploads` are served, with the type
 * recorded there (never guessed from the file), and forever cacheable: the name is the content's hash.
 */
export const uploadRoutes: RouteModule = async (app, { store, config }) => {
  app.get<{ Params: { file: string } }>("/uploads/:file", async (request, reply) => {
    const match = FILE.exec(request.params.file);
    if (!match) throw new AppError("not_found");
    const upload = await store.db
      .selectFrom("uploads")
      .select(["sha256", "media_type", "bytes"])
      .where("sha256", "=", match[1]!)
      // Only files in the public folder: response documents (also uploads rows) are served by their own route.
      .where("path", "=", `uploads/${match[0]}`)
      .executeTakeFirst();
    if (
      !upload ||
      !isImageType(upload.media_type) ||
      uploadFileName(upload.sha256, upload.media_type) !== match[0]
    )
      throw new AppError("not_found");
    return reply
      .header("cache-control", "public, max-age=31536000, immutable")
      .header("content-length", String(upload.bytes))
      .type(upload.media_type)
      .send(createReadStream(path.join(config.dataDir, "uploads", match[0])));
  });
};
