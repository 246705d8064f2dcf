import type { FastifyReply, FastifyRequest } from "fastify";
import { changeLetterState } from "../../../commands/change-letter-state.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { isLetterTransition, type LetterTransition } from "../../../domain/letter-states.ts";
import type { CampaignAction } from "../../../policies/policy.ts";
import { getLetterForPreview } from "../../../queries/get-public-letter.ts";
import { listLetterVersions } from "../../../queries/list-letter-versions.ts";
import type { RouteModule } from "../../app-deps.ts";
import { actorOf } from "../../http/actor.ts";
import { consoleLetterOf } from "../../http/console-letter.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import { LetterStatePage } from "../../views/admin/letter-state-page.tsx";
import { LetterVersionsPage } from "../../views/admin/letter-versions-page.tsx";
import { LetterPage } from "../../views/public/letter-page.tsx";

type Params = { id: string };

/** A letter on its way to readers: the preview, its versions, and the state changes (publish, close …). */
export const letterPublishingRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function letterFor(
    request: FastifyRequest<{ Params: Params }>,
    action: CampaignAction,
  ): Promise<{ user: SessionUser; letter: EditableLetter }> {
    const letter = await consoleLetterOf(db, request);
    return { user: requirePermission(request, action, letter.campaign.id), letter };
  }

  // Byte for byte what readers get: the public page's own query and view, for any state and version.
  app.get<{ Params: Params; Querystring: { version?: string } }>(
    "/admin/letters/:id/preview",
    async (request, reply) => {
      const { letter } = await letterFor(request, "campaign.view");
      let versionId: number | undefined;
      if (request.query.version) {
        const wanted = Number(request.query.version);
        const row = await db
          .selectFrom("letter_versions")
          .select("id")
          .where("letter_id", "=", letter.id)
          .where("number", "=", Number.isSafeInteger(wanted) ? wanted : -1)
          .executeTakeFirst();
        if (!row) throw new AppError("not_found");
        versionId = row.id;
      }
      const shown = await getLetterForPreview(db, {
        letterId: letter.id,
        versionId,
        language: request.locale,
      });
      if (!shown) throw new AppError("not_found");
      return sendPage(
        reply,
        LetterPage({
          ctx: { locale: request.locale, t: request.t, path: request.url, user: request.user },
          letter: shown,
        }),
      );
    },
  );

  app.get<{ Params: Params }>("/admin/letters/:id/versions", async (request, reply) => {
    const { user, letter } = await letterFor(request, "campaign.view");
    return sendPage(
      reply,
      LetterVersionsPage({
        ctx: pageContext(request, reply),
        user,
        letter,
        title: letter.translations[0]?.title ?? letter.slug,
        versions: await listLetterVersions(db, letter.id),
      }),
    );
  });

  /** What both steps of a state change need: the permission, the letter and a known transition. */
  const stateRequest = async (request: FastifyRequest<{ Params: Params & { transition: string } }>) => {
    const { user, letter } = await letterFor(request, "letter.publish");
    const { transition } = request.params;
    if (!isLetterTransition(transition)) throw new AppError("not_found");
    return { user, letter, transition };
  };
  const statePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    user: SessionUser,
    letter: EditableLetter,
    transition: LetterTransition,
    problem?: string,
  ) =>
    LetterStatePage({
      ctx: pageContext(request, reply),
      user,
      letterId: letter.id,
      title: letter.translations[0]?.title ?? letter.slug,
      transition,
      problem,
    });

  app.get<{ Params: Params & { transition: string } }>(
    "/admin/letters/:id/state/:transition",
    async (request, reply) => {
      const { user, letter, transition } = await stateRequest(request);
      return sendPage(reply, statePage(request, reply, user, letter, transition));
    },
  );

  app.post<{ Params: Params & { transition: string } }>(
    "/admin/letters/:id/state/:transition",
    async (request, reply) => {
      const { user, letter, transition } = await stateRequest(request);
      try {
        await changeLetterState(deps, { actor: actorOf(user), letterId: letter.id, transition }, deps.now());
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "invalid_state") throw error;
        const reason = Object.values(error.fields)[0];
        return sendPage(
          reply,
          statePage(request, reply, user, letter, transition, request.t(reason ?? "error.invalid_state")),
          409,
        );
      }
      // The editor then says what changed and where the letter now is (a bare "Saved." told neither).
      return reply.redirect(`/admin/letters/${letter.id}?changed=${transition}`, 303);
    },
  );
};
