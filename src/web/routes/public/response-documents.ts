import { createReadStream } from "node:fs";
import path from "node:path";
import { AppError } from "../../../domain/app-error.ts";
import { READABLE_LETTER_STATES } from "../../../domain/public-letters.ts";
import { documentExtension, isDocumentType } from "../../../domain/response-documents.ts";
import type { RouteModule } from "../../app-deps.ts";
import { ID } from "../../http/ids.ts";
import { SLUG } from "../../http/slugs.ts";

/**
 * A recipient's response document at /letters/:slug/responses/:id/document (the link on the public
 * tracker), served only while the response is public and the letter readable: a response made private
 * again, or one on a letter taken down, answers 404. Type and file come from the `uploads` row, never from
 * the request. Cached briefly, since the coordinators may withdraw it.
 */
export const responseDocumentRoutes: RouteModule = async (app, { store, config }) => {
  app.get<{ Params: { slug: string; id: string } }>(
    "/letters/:slug/responses/:id/document",
    async (request, reply) => {
      const { slug, id } = request.params;
      if (!SLUG.test(slug) || !ID.test(id)) throw new AppError("not_found");
      const document = await store.db
        .selectFrom("responses")
        .innerJoin("letters", "letters.id", "responses.letter_id")
        .innerJoin("uploads", "uploads.id", "responses.document_upload_id")
        .select(["responses.id", "uploads.media_type", "uploads.bytes", "uploads.path"])
        .where("responses.id", "=", Number(id))
        .where("responses.is_public", "=", 1)
        .where("letters.slug", "=", slug)
        .where("letters.state", "in", READABLE_LETTER_STATES)
        .executeTakeFirst();
      if (!document || !isDocumentType(document.media_type) || !document.path.startsWith("responses/"))
        throw new AppError("not_found");
      const file = path.join(config.dataDir, document.path);
      return reply
        .header("cache-control", "public, max-age=300")
        .header("content-length", String(document.bytes))
        .header(
          "content-disposition",
          `inline; filename="response-${document.id}.${documentExtension(document.media_type)}"`,
        )
        .type(document.media_type)
        .send(createReadStream(file));
    },
  );
};
