import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { correctSignature } from "../../../commands/correct-signature.ts";
import { mergeSignatures } from "../../../commands/merge-signatures.ts";
import { AppError } from "../../../domain/app-error.ts";
import { listComparisonRecords } from "../../../queries/list-comparison-records.ts";
import { listDuplicateSuggestions } from "../../../queries/list-duplicate-suggestions.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formRoute } from "../../forms/form-route.ts";
import { type FieldErrors, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { ID, idOf } from "../../http/ids.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requireLetterPermission } from "../../session.ts";
import {
  CorrectEndorsementPage,
  type CorrectionValues,
} from "../../views/admin/correct-endorsement-page.tsx";
import { DuplicatesPage } from "../../views/admin/duplicates-page.tsx";

const mergeForm = z.object({ first: z.string().regex(ID), second: z.string().regex(ID) });

type LetterParams = { id: string };
type EndorsementParams = { id: string; signatureId: string };

/** Duplicates (suggestions, merge) and corrections of listed endorsements. */
export const endorsementConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function letterTitle(
    letterId: number,
  ): Promise<{ title: string; campaignId: number; categories: string[] }> {
    const row = await db
      .selectFrom("letters")
      .innerJoin("letter_translations", (join) =>
        join
          .onRef("letter_translations.version_id", "=", "letters.current_version_id")
          .onRef("letter_translations.language", "=", "letters.default_language"),
      )
      .select(["letter_translations.title", "letters.categories", "letters.campaign_id"])
      .where("letters.id", "=", letterId)
      .executeTakeFirst();
    if (!row) throw new AppError("not_found");
    return {
      title: row.title,
      campaignId: row.campaign_id,
      categories: JSON.parse(row.categories) as string[],
    };
  }

  async function duplicates(
    request: FastifyRequest<{ Params: LetterParams }>,
    reply: FastifyReply,
    user: SessionUser,
    extra: { notice?: string; problem?: string },
    status = 200,
  ) {
    const letterId = idOf(request.params.id);
    const { title, campaignId } = await letterTitle(letterId);
    const [pairs, comparison] = await Promise.all([
      listDuplicateSuggestions(db, letterId),
      listComparisonRecords(db, letterId),
    ]);
    // The key is opened in the page with libsodium-sumo, as on the review page (review.ts).
    if (comparison.undisclosed.length > 0) reply.header("content-security-policy", WASM_PAGE_CSP);
    return sendPage(
      reply,
      DuplicatesPage({
        ctx: pageContext(request, reply),
        user,
        letter: { id: letterId, title, campaignId },
        pairs,
        comparison,
        ...extra,
      }),
      status,
    );
  }

  app.get<{ Params: LetterParams; Querystring: { merged?: string; corrected?: string } }>(
    "/admin/letters/:id/duplicates",
    async (request, reply) => {
      const user = await requireLetterPermission(request, deps, "signature.edit", idOf(request.params.id));
      const notice =
        request.query.merged === "1"
          ? request.t("duplicates.merged")
          : request.query.corrected === "1"
            ? request.t("corrections.saved")
            : undefined;
      return duplicates(request, reply, user, notice ? { notice } : {});
    },
  );

  app.post<{ Params: LetterParams }>("/admin/letters/:id/duplicates/merge", async (request, reply) => {
    const letterId = idOf(request.params.id);
    const user = await requireLetterPermission(request, deps, "signature.edit", letterId);
    const form = mergeForm.safeParse(request.body ?? {});
    if (!form.success) throw new AppError("validation");
    await mergeSignatures(
      deps,
      { actor: actorOf(user), letterId, signatureIds: [Number(form.data.first), Number(form.data.second)] },
      deps.now(),
    );
    return reply.redirect(`/admin/letters/${letterId}/duplicates?merged=1`, 303);
  });

  async function correctionPage(
    request: FastifyRequest<{ Params: EndorsementParams }>,
    reply: FastifyReply,
    user: SessionUser,
    values: CorrectionValues,
    extra: { errors?: FieldErrors; problem?: string },
    status = 200,
  ) {
    const letterId = idOf(request.params.id);
    const { categories } = await letterTitle(letterId);
    return sendPage(
      reply,
      CorrectEndorsementPage({
        ctx: pageContext(request, reply),
        user,
        letterId,
        signatureId: idOf(request.params.signatureId),
        categories,
        values,
        ...extra,
      }),
      status,
    );
  }

  app.get<{ Params: EndorsementParams }>(
    "/admin/letters/:id/endorsements/:signatureId/correct",
    async (request, reply) => {
      const user = await requireLetterPermission(request, deps, "signature.edit", idOf(request.params.id));
      const row = await db
        .selectFrom("signatures")
        .select(["display_name", "category", "country", "visibility"])
        .where("id", "=", idOf(request.params.signatureId))
        .where("letter_id", "=", idOf(request.params.id))
        .executeTakeFirst();
      // Undisclosed endorsements have no public facts to correct; answering "not found" tells nothing more.
      if (row?.visibility !== "listed") throw new AppError("not_found");
      return correctionPage(
        request,
        reply,
        user,
        {
          name: row.display_name ?? "",
          category: row.category ?? "",
          country: row.country ?? "",
        },
        {},
      );
    },
  );

  formRoute(app, deps, "/admin/letters/:id/endorsements/:signatureId/correct", {
    load: (request: FastifyRequest<{ Params: EndorsementParams }>) => ({
      letterId: idOf(request.params.id),
      signatureId: idOf(request.params.signatureId),
    }),
    authorise: (request, { letterId }) => requireLetterPermission(request, deps, "signature.edit", letterId),
    values: (body): CorrectionValues => ({
      name: typed(body, "name") ?? "",
      category: typed(body, "category") ?? "",
      country: typed(body, "country") ?? "",
    }),
    command: (form, { user, loaded: { letterId, signatureId }, now }) =>
      correctSignature(deps, { actor: actorOf(user), letterId, signatureId, form }, now),
    render: ({ request, reply, user, values }, status, { errors, problem }) =>
      correctionPage(request, reply, user, values, { errors, problem }, status),
    redirect: (_, { loaded: { letterId } }) => `/admin/letters/${letterId}/duplicates?corrected=1`,
  });
};
