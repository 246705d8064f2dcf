import type { FastifyReply, FastifyRequest } from "fastify";
import { mailLetterUpdate } from "../../../commands/mail-letter-update.ts";
import { postLetterUpdate } from "../../../commands/post-letter-update.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { countUpdateSubscribers } from "../../../queries/count-update-subscribers.ts";
import { listLetterUpdates } from "../../../queries/list-letter-updates.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { consoleLetterOf } from "../../http/console-letter.ts";
import { ID } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import {
  LetterUpdatesPage,
  type LetterUpdatesPageProps,
  type UpdateFormValues,
} from "../../views/admin/letter-updates-page.tsx";

type Params = { id: string };

/** `/admin/letters/:id/updates`: post an update, mail one, and the letter's embed snippet. */
export const letterUpdateConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  const letterOf = (request: FastifyRequest<{ Params: Params }>) => consoleLetterOf(db, request);

  async function letterFor(
    request: FastifyRequest<{ Params: Params }>,
  ): Promise<{ user: SessionUser; letter: EditableLetter }> {
    const letter = await letterOf(request);
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

  formRoute(app, deps, "/admin/letters/:id/updates", {
    load: (request: FastifyRequest<{ Params: Params }>) => letterOf(request),
    authorise: (request, letter) => requirePermission(request, "letter.publish", letter.campaign.id),
    values: (body, letter): UpdateFormValues => ({
      title: typed(body, "title") ?? "",
      body: typed(body, "body") ?? "",
      language: typed(body, "language") ?? letter.defaultLanguage,
      mail: Boolean(typed(body, "mail")),
    }),
    command: async (values, { request, user, loaded: letter, now }) => {
      if (!letter.translations.some((tr) => tr.language === values.language)) {
        return formAgain(400, {
          errors: { language: request.t("updates.invalidLanguage") },
          problem: request.t("error.validation"),
        });
      }
      return postLetterUpdate(
        deps,
        { actor: actorOf(user), letterId: letter.id, form: { ...values, mail: values.mail ? "1" : "" } },
        now,
      );
    },
    render: ({ request, reply, user, loaded: letter }, status, form) =>
      page(request, reply, { user, letter, ...form }, status),
    redirect: (result, { loaded: letter }) => {
      const query =
        result.mail?.outcome === "mailed"
          ? `done=mailed&mailed=${result.mail.recipients}`
          : result.mail?.outcome === "already"
            ? "done=already"
            : "done=posted";
      return `/admin/letters/${letter.id}/updates?${query}`;
    },
  });

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
