import type { FastifyReply, FastifyRequest } from "fastify";
import { mailLetterUpdate } from "../../../commands/mail-letter-update.ts";
import { postLetterUpdate } from "../../../commands/post-letter-update.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { countUpdateSubscribers } from "../../../queries/count-update-subscribers.ts";
import { getLetterForEditing } from "../../../queries/get-letter-for-editing.ts";
import { listLetterUpdates } from "../../../queries/list-letter-updates.ts";
import type { RouteModule } from "../../app-deps.ts";
import { translatedFieldErrors } from "../../forms/field-errors.ts";
import { csrfProblem, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { ID } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission, requireUser } from "../../session.ts";
import {
  LetterUpdatesPage,
  type LetterUpdatesPageProps,
  type UpdateFormValues,
} from "../../views/admin/letter-updates-page.tsx";

type Params = { id: string };

/** `/admin/letters/:id/updates`: post an update, mail one, and the letter's embed snippet. */
export const letterUpdateConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function letterFor(
    request: FastifyRequest<{ Params: Params }>,
  ): Promise<{ user: SessionUser; letter: EditableLetter }> {
    requireUser(request);
    const id = ID.test(request.params.id) ? Number(request.params.id) : undefined;
    const letter = id === undefined ? undefined : await getLetterForEditing(db, id);
    if (!letter) throw new AppError("not_found");
    return { user: requirePermission(request, "letter.publish", letter.campaign.id), letter };
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    props: Pick<LetterUpdatesPageProps, "user" | "letter" | "values"> &
      Partial<Pick<LetterUpdatesPageProps, "errors" | "problem" | "notice">>,
    status = 200,
  ) {
    const [updates, subscribers] = await Promise.all([
      listLetterUpdates(db, props.letter.id),
      countUpdateSubscribers(db, props.letter.id),
    ]);
    return sendPage(
      reply,
      LetterUpdatesPage({
        ctx: pageContext(request, reply),
        updates,
        subscribers,
        baseUrl: deps.config.baseUrl,
        ...props,
      }),
      status,
    );
  }

  const emptyForm = (letter: EditableLetter): UpdateFormValues => ({
    title: "",
    body: "",
    language: letter.defaultLanguage,
    mail: false,
  });

  app.get<{ Params: Params; Querystring: { done?: string; mailed?: string } }>(
    "/admin/letters/:id/updates",
    async (request, reply) => {
      const { user, letter } = await letterFor(request);
      const { done, mailed } = request.query;
      const count = Number(mailed) || 0;
      const notice =
        done === "posted"
          ? request.t("updates.postedNotice")
          : done === "mailed"
            ? request.t("updates.mailedNotice", { count })
            : done === "already"
              ? request.t("updates.alreadyMailed")
              : undefined;
      return page(request, reply, { user, letter, values: emptyForm(letter), notice });
    },
  );

  app.post<{ Params: Params }>(
    "/admin/letters/:id/updates",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { user, letter } = await letterFor(request);
      const values: UpdateFormValues = {
        title: typed(request.body, "title") ?? "",
        body: typed(request.body, "body") ?? "",
        language: typed(request.body, "language") ?? letter.defaultLanguage,
        mail: Boolean(typed(request.body, "mail")),
      };
      const again = (status: number, extra: Partial<LetterUpdatesPageProps>) =>
        page(request, reply, { user, letter, values, ...extra }, status);
      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });
      if (!letter.translations.some((tr) => tr.language === values.language)) {
        return again(400, {
          errors: { language: request.t("updates.invalidLanguage") },
          problem: request.t("error.validation"),
        });
      }
      try {
        const result = await postLetterUpdate(
          deps,
          { actor: actorOf(user), letterId: letter.id, form: { ...values, mail: values.mail ? "1" : "" } },
          deps.now(),
        );
        const query =
          result.mail?.outcome === "mailed"
            ? `done=mailed&mailed=${result.mail.recipients}`
            : result.mail?.outcome === "already"
              ? "done=already"
              : "done=posted";
        return reply.redirect(`/admin/letters/${letter.id}/updates?${query}`, 303);
      } catch (error) {
        if (error instanceof AppError && error.code === "validation")
          return again(400, {
            errors: translatedFieldErrors(error, request.t),
            problem: request.t("error.validation"),
          });
        throw error;
      }
    },
  );

  app.post<{ Params: Params & { updateId: string } }>(
    "/admin/letters/:id/updates/:updateId/mail",
    async (request, reply) => {
      const { user, letter } = await letterFor(request);
      const updateId = ID.test(request.params.updateId) ? Number(request.params.updateId) : 0;
      const update = (await listLetterUpdates(db, letter.id)).find((u) => u.id === updateId);
      if (!update) throw new AppError("not_found");
      const result = await mailLetterUpdate(deps, { actor: actorOf(user), updateId }, deps.now());
      const query = result.outcome === "mailed" ? `done=mailed&mailed=${result.recipients}` : "done=already";
      return reply.redirect(`/admin/letters/${letter.id}/updates?${query}`, 303);
    },
  );
};
