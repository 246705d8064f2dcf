import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { deliverLetter } from "../../../commands/deliver-letter.ts";
import { importRecipients } from "../../../commands/import-recipients.ts";
import { moveRecipient } from "../../../commands/move-recipient.ts";
import { recordManualDelivery } from "../../../commands/record-manual-delivery.ts";
import { recordResponse } from "../../../commands/record-response.ts";
import { removeRecipient } from "../../../commands/remove-recipient.ts";
import { saveRecipient } from "../../../commands/save-recipient.ts";
import { tagRecipientStance } from "../../../commands/tag-recipient-stance.ts";
import { AppError } from "../../../domain/app-error.ts";
import { MAX_RESPONSE_DOCUMENT_BYTES } from "../../../domain/response-documents.ts";
import { formatNumber } from "../../../i18n/index.ts";
import { type ConsoleRecipients, listLetterRecipients } from "../../../queries/list-letter-recipients.ts";
import { previewDelivery } from "../../../queries/preview-delivery.ts";
import type { RouteModule } from "../../app-deps.ts";
import { translatedFieldErrors } from "../../forms/field-errors.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { typed } from "../../forms/parse-form.ts";
import { checked, firstMessage, RECIPIENT_NOTICES, recipientValuesFrom } from "../../forms/recipient-form.ts";
import { actorOf } from "../../http/actor.ts";
import { ID, idOf } from "../../http/ids.ts";
import { noticeOf } from "../../http/notices.ts";
import { deliveryPdfSource } from "../../letter-print.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission } from "../../session.ts";
import type { DeliveryPreviewShown } from "../../views/admin/delivery-preview.tsx";
import {
  type ManualDeliveryValues,
  RecipientPage,
  type RecipientPageProps,
  type ResponseValues,
} from "../../views/admin/recipient-page.tsx";
import { RecipientsPage, type RecipientsPageProps } from "../../views/admin/recipients-page.tsx";

/*
 * Recipients & delivery: a letter's recipients, sending it to them through the outbox, deliveries
 * made by hand, responses and stances; and a campaign's stances. Every form re-renders with what was typed
 * and a translated reason when refused.
 */

type LetterParams = { id: string };
/** What the delivery form shows besides its values: the mail before sending, or what was sent. */
type DeliverExtra = { preview?: DeliveryPreviewShown; notice?: string };
type RecipientParams = { id: string; recipientId: string };

export const recipientConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  /** The PDF exactly as readers download it, from the same cache. */
  const letterPdf = deliveryPdfSource(deps.store, deps.letterPdfs, deps.config.baseUrl);

  async function recipientsOf(request: FastifyRequest<{ Params: LetterParams }>) {
    const data = await listLetterRecipients(db, idOf(request.params.id));
    if (!data) throw new AppError("not_found");
    return data;
  }

  const mayManage = (request: FastifyRequest, data: ConsoleRecipients) =>
    requirePermission(request, "recipients.manage", data.letter.campaignId);

  async function letterData(request: FastifyRequest<{ Params: LetterParams }>) {
    const data = await recipientsOf(request);
    return { data, user: mayManage(request, data) };
  }

  /** The letter's forms: its recipients loaded, the person allowed to manage them. */
  const letterForm = {
    load: (request: FastifyRequest<{ Params: LetterParams }>) => recipientsOf(request),
    authorise: mayManage,
  };

  const listPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    props: Omit<RecipientsPageProps, "ctx">,
    status = 200,
  ) => sendPage(reply, RecipientsPage({ ctx: pageContext(request, reply), ...props }), status);

  app.get<{ Params: LetterParams; Querystring: { notice?: string } }>(
    "/admin/letters/:id/recipients",
    async (request, reply) => {
      const { data, user } = await letterData(request);
      return listPage(request, reply, {
        user,
        data,
        notice: noticeOf(request, RECIPIENT_NOTICES, request.query.notice),
      });
    },
  );

  formRoute(app, deps, "/admin/letters/:id/recipients", {
    ...letterForm,
    values: recipientValuesFrom,
    command: (fields, { user, loaded: data, now }) =>
      saveRecipient(deps, { actor: actorOf(user), letterId: data.letter.id, fields }, now),
    render: ({ request, reply, user, loaded: data }, status, add) =>
      listPage(request, reply, { user, data, add }, status),
    redirect: (_, { loaded: data }) => `/admin/letters/${data.letter.id}/recipients?notice=added`,
  });

  formRoute(app, deps, "/admin/letters/:id/recipients/import", {
    ...letterForm,
    values: (body) => ({ csv: typed(body, "csv") ?? "" }),
    command: async ({ csv }, { user, loaded: data, now }) => {
      const report = await importRecipients(
        deps,
        { actor: actorOf(user), letterId: data.letter.id, csv },
        now,
      );
      // The report is the answer: shown on the page rather than lost in a redirect.
      return formAgain(200, { report });
    },
    render: async ({ request, reply, user, loaded: data }, status, { report, ...importForm }) => {
      if (!report) return listPage(request, reply, { user, data, importForm }, status);
      return listPage(request, reply, {
        user,
        data: (await listLetterRecipients(db, data.letter.id))!,
        importReport: report,
        // Refused rows stay in the box so they can be corrected and imported again.
        importForm: report.invalid > 0 ? { values: importForm.values } : undefined,
      });
    },
    redirect: (_, { loaded: data }) => `/admin/letters/${data.letter.id}/recipients`,
  });

  formRoute(app, deps, "/admin/letters/:id/recipients/deliver", {
    ...letterForm,
    values: (body) => ({
      selected: checked(body, "recipient")
        .filter((v) => ID.test(v))
        .map(Number),
      resend: checked(body, "resend").includes("1"),
      replyTo: typed(body, "reply_to") ?? "",
    }),
    command: async ({ selected, resend, replyTo }, { request, user, loaded: data, now, values }) => {
      // Nothing goes out without the coordinator having seen it: the first press shows the mail.
      if (typed(request.body, "step") !== "send") {
        const preview = await previewDelivery(db, deps.config.baseUrl, data.letter.id);
        if (!preview) throw new AppError("not_found");
        const chosen = data.recipients.filter((r) => selected.includes(r.id)).map((r) => r.name);
        return formAgain<typeof values, DeliverExtra>(200, {
          values,
          preview: { ...preview.mail, replyTo: replyTo.trim() || null, recipients: chosen },
        });
      }
      try {
        const result = await deliverLetter(
          { ...deps, letterPdf },
          { actor: actorOf(user), letterId: data.letter.id, recipientIds: selected, resend, replyTo },
          now,
        );
        const notice = [
          request.t(result.queued === 1 ? "delivery.queued.one" : "delivery.queued.other", {
            count: formatNumber(request.locale, result.queued),
          }),
          result.withoutEmail.length > 0
            ? request.t("delivery.withoutEmail", { names: result.withoutEmail.join(", ") })
            : "",
        ]
          .filter(Boolean)
          .join(" ");
        return formAgain<typeof values, DeliverExtra>(200, { notice });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Delivery has no fields to mark: its one reason is said above the list.
        const reason = firstMessage(error, request.t);
        if (reason && ["validation", "conflict", "invalid_state", "unavailable"].includes(error.code))
          return formAgain<typeof values, DeliverExtra>(error.status, { problem: reason });
        throw error;
      }
    },
    render: async (
      { request, reply, user, loaded: data },
      status,
      { values, problem, notice, errors, preview },
    ) =>
      notice
        ? listPage(request, reply, { user, data: (await listLetterRecipients(db, data.letter.id))!, notice })
        : listPage(
            request,
            reply,
            {
              user,
              data,
              deliver: { problem: problem ?? errors?.replyTo ?? "", ...values, preview },
            },
            status,
          ),
    redirect: (_, { loaded: data }) => `/admin/letters/${data.letter.id}/recipients`,
  });

  async function recipientPage(
    request: FastifyRequest<{ Params: RecipientParams }>,
    reply: FastifyReply,
    extra: Partial<Omit<RecipientPageProps, "ctx" | "user" | "data" | "recipient" | "today">> = {},
    status = 200,
  ) {
    const { data, user } = await letterData(request);
    const recipient = data.recipients.find((r) => r.id === idOf(request.params.recipientId));
    if (!recipient) throw new AppError("not_found");
    return sendPage(
      reply,
      RecipientPage({
        ctx: pageContext(request, reply),
        user,
        data,
        recipient,
        today: deps.now().toISOString().slice(0, 10),
        ...extra,
      }),
      status,
    );
  }

  /** Permission and ids for a recipient's actions. */
  async function recipientRequest(request: FastifyRequest<{ Params: RecipientParams }>) {
    const { data, user } = await letterData(request);
    const recipientId = idOf(request.params.recipientId);
    if (!data.recipients.some((r) => r.id === recipientId)) throw new AppError("not_found");
    return { data, user, recipientId, letterId: data.letter.id };
  }

  /** One recipient's forms: the letter and the recipient loaded, the person allowed to manage them. */
  const recipientForm = {
    load: async (request: FastifyRequest<{ Params: RecipientParams }>) => {
      const data = await recipientsOf(request);
      const recipientId = idOf(request.params.recipientId);
      if (!data.recipients.some((r) => r.id === recipientId)) throw new AppError("not_found");
      return { data, recipientId, letterId: data.letter.id };
    },
    authorise: (request: FastifyRequest, { data }: { data: ConsoleRecipients }) => mayManage(request, data),
  };

  const backTo = (letterId: number, recipientId: number, notice: string) =>
    `/admin/letters/${letterId}/recipients/${recipientId}?notice=${notice}`;

  app.get<{ Params: RecipientParams; Querystring: { notice?: string } }>(
    "/admin/letters/:id/recipients/:recipientId",
    async (request, reply) => {
      return recipientPage(request, reply, {
        notice: noticeOf(request, RECIPIENT_NOTICES, request.query.notice),
      });
    },
  );

  formRoute(app, deps, "/admin/letters/:id/recipients/:recipientId", {
    ...recipientForm,
    values: recipientValuesFrom,
    command: (fields, { user, loaded: { letterId, recipientId }, now }) =>
      saveRecipient(deps, { actor: actorOf(user), letterId, recipientId, fields }, now),
    render: ({ request, reply }, status, edit) => recipientPage(request, reply, { edit }, status),
    redirect: (_, { loaded: { letterId, recipientId } }) => backTo(letterId, recipientId, "saved"),
  });

  app.post<{ Params: RecipientParams }>(
    "/admin/letters/:id/recipients/:recipientId/remove",
    async (request, reply) => {
      const { user, recipientId, letterId } = await recipientRequest(request);
      try {
        await removeRecipient(deps, { actor: actorOf(user), letterId, recipientId }, deps.now());
      } catch (error) {
        if (error instanceof AppError && error.code === "invalid_state")
          return recipientPage(request, reply, { problem: firstMessage(error, request.t) }, 409);
        throw error;
      }
      return reply.redirect(`/admin/letters/${letterId}/recipients?notice=removed`, 303);
    },
  );

  // Up or down one place in the letter's order (the public tracker's); the page comes back at that row.
  app.post<{ Params: RecipientParams }>(
    "/admin/letters/:id/recipients/:recipientId/move",
    async (request, reply) => {
      const { data, user, recipientId, letterId } = await recipientRequest(request);
      const direction = typed(request.body, "direction");
      const refused = (status: number, problem: string) =>
        listPage(request, reply, { user, data, problem }, status);
      if (direction !== "up" && direction !== "down") return refused(400, request.t("error.validation"));
      try {
        await moveRecipient(deps, { actor: actorOf(user), letterId, recipientId, direction }, deps.now());
      } catch (error) {
        if (error instanceof AppError && error.code === "invalid_state")
          return refused(409, firstMessage(error, request.t) ?? request.t("error.invalid_state"));
        throw error;
      }
      return reply.redirect(`/admin/letters/${letterId}/recipients?notice=moved#r-${recipientId}`, 303);
    },
  );

  formRoute(app, deps, "/admin/letters/:id/recipients/:recipientId/deliveries", {
    ...recipientForm,
    values: (body): ManualDeliveryValues => ({
      method: typed(body, "method") ?? "",
      deliveredOn: typed(body, "deliveredOn") ?? "",
      deliveryNote: typed(body, "deliveryNote") ?? "",
    }),
    command: async (values, { request, user, loaded: { letterId, recipientId }, now }) => {
      try {
        return await recordManualDelivery(
          deps,
          {
            actor: actorOf(user),
            letterId,
            recipientId,
            form: { method: values.method, deliveredOn: values.deliveredOn, note: values.deliveryNote },
          },
          now,
        );
      } catch (error) {
        if (error instanceof AppError && (error.code === "validation" || error.code === "invalid_state")) {
          // The command calls the note `note`; the form's field is `deliveryNote`.
          const errors = translatedFieldErrors(error, request.t);
          if (errors.note) errors.deliveryNote = errors.note;
          return formAgain(error.status, {
            errors,
            problem: errors.delivery ?? request.t("error.validation"),
          });
        }
        throw error;
      }
    },
    render: ({ request, reply }, status, manual) => recipientPage(request, reply, { manual }, status),
    redirect: (_, { loaded: { letterId, recipientId } }) => backTo(letterId, recipientId, "recorded"),
  });

  app.post<{ Params: RecipientParams }>(
    "/admin/letters/:id/recipients/:recipientId/stances",
    async (request, reply) => {
      const { user, recipientId, letterId } = await recipientRequest(request);
      const stanceIds = checked(request.body, "stance")
        .filter((v) => ID.test(v))
        .map(Number);
      await tagRecipientStance(deps, { actor: actorOf(user), letterId, recipientId, stanceIds }, deps.now());
      return reply.redirect(backTo(letterId, recipientId, "stances"), 303);
    },
  );

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: "keyValues",
      // One byte over the limit is enough to know the file is too large; the rest is drained, not kept.
      limits: { fileSize: MAX_RESPONSE_DOCUMENT_BYTES + 1, files: 1, fields: 5, parts: 6 },
      throwFileSizeLimit: false,
    });
    formRoute(uploads, deps, "/admin/letters/:id/recipients/:recipientId/responses", {
      options: { bodyLimit: MAX_RESPONSE_DOCUMENT_BYTES + 64 * 1024 },
      ...recipientForm,
      values: (body): ResponseValues => ({
        receivedOn: typed(body, "receivedOn") ?? "",
        summary: typed(body, "summary") ?? "",
        isPublic: typed(body, "isPublic") === "1",
      }),
      command: (form, { request, user, loaded: { letterId, recipientId }, now }) => {
        const file = (request.body as Record<string, unknown> | undefined)?.document;
        return recordResponse(
          deps,
          {
            actor: actorOf(user),
            letterId,
            recipientId,
            form,
            document: Buffer.isBuffer(file) && file.length > 0 ? file : undefined,
          },
          now,
        );
      },
      render: ({ request, reply }, status, response) => recipientPage(request, reply, { response }, status),
      redirect: (_, { loaded: { letterId, recipientId } }) => backTo(letterId, recipientId, "response"),
    });
  });
};
