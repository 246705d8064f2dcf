import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { deliverLetter, type LetterPdfSource } from "../../../commands/deliver-letter.ts";
import { importRecipients } from "../../../commands/import-recipients.ts";
import { moveRecipient } from "../../../commands/move-recipient.ts";
import { recordManualDelivery } from "../../../commands/record-manual-delivery.ts";
import { recordResponse } from "../../../commands/record-response.ts";
import { removeRecipient } from "../../../commands/remove-recipient.ts";
import { removeStance } from "../../../commands/remove-stance.ts";
import { saveRecipient } from "../../../commands/save-recipient.ts";
import { saveStance } from "../../../commands/save-stance.ts";
import { tagRecipientStance } from "../../../commands/tag-recipient-stance.ts";
import { AppError } from "../../../domain/app-error.ts";
import { MAX_RESPONSE_DOCUMENT_BYTES } from "../../../domain/response-documents.ts";
import { formatNumber, isLocale, type MessageKey, type Translate } from "../../../i18n/index.ts";
import {
  countStanceRecipients,
  listCampaignStances,
  listLetterRecipients,
} from "../../../queries/list-letter-recipients.ts";
import type { RouteModule } from "../../app-deps.ts";
import { csrfProblem, type FieldErrors, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { ID, idOf } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import {
  type ManualDeliveryValues,
  RecipientPage,
  type RecipientPageProps,
  RecipientsPage,
  type RecipientsPageProps,
  type RecipientValues,
  type ResponseValues,
} from "../../views/admin/recipients-page.tsx";
import { StanceRemovePage, StancesPage, type StanceValues } from "../../views/admin/stances-page.tsx";

/*
 * Recipients & delivery: a letter's recipients, sending it to them through the outbox, deliveries
 * made by hand, responses and stances; and a campaign's stances. Every form re-renders with what was typed
 * and a translated reason when refused.
 */

type LetterParams = { id: string };
type RecipientParams = { id: string; recipientId: string };

const NOTICES: Record<string, MessageKey> = {
  added: "recipients.added",
  saved: "recipients.saved",
  removed: "recipients.removed",
  moved: "recipients.moved",
  recorded: "delivery.recorded",
  response: "responses.recorded",
  stances: "stances.tagged",
};

/** What a refused command's field errors say, in the reader's language, with the error's own parameters. */
function messagesOf(error: AppError, t: Translate): FieldErrors {
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, key]) => [
      field,
      t(key, { ...error.params, max: maxOf(field) }),
    ]),
  );
}

/**
 * A command's refusal of what was typed, as every form here shows it again: each field's reason and the
 * summary above the form. Undefined for any other error, which the route rethrows.
 */
function invalidForm(error: unknown, t: Translate): { errors: FieldErrors; problem: string } | undefined {
  return error instanceof AppError && error.code === "validation"
    ? { errors: messagesOf(error, t), problem: t("error.validation") }
    : undefined;
}

const MAX_BY_FIELD: Record<string, number> = {
  name: 300,
  office: 300,
  country: 120,
  addresseeGroup: 300,
  postalAddress: 1000,
  notes: 2000,
  deliveryNote: 2000,
  note: 2000,
  summary: 4000,
  label: 120,
  en: 120,
  my: 120,
};
const maxOf = (field: string) => MAX_BY_FIELD[field] ?? 0;

/** The first of a command's field messages: the reason shown above a form that has no field for it. */
const firstMessage = (error: AppError, t: Translate) => Object.values(messagesOf(error, t))[0];

function recipientValuesFrom(body: unknown): RecipientValues {
  const text = (field: keyof RecipientValues) => typed(body, field) ?? "";
  return {
    name: text("name"),
    office: text("office"),
    country: text("country"),
    addresseeGroup: text("addresseeGroup"),
    emails: text("emails"),
    postalAddress: text("postalAddress"),
    notes: text("notes"),
  };
}

/** Checkbox values: one string, several (an array), or none. */
function checked(body: unknown, field: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

export const recipientConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  /** The PDF exactly as readers download it: the public route renders (and caches) it. */
  const letterPdf: LetterPdfSource = {
    get available() {
      return deps.pdf.available;
    },
    async render({ slug, language }) {
      const query = isLocale(language) ? `?lang=${language}` : "";
      const response = await app.inject({ method: "GET", url: `/letters/${slug}.pdf${query}` });
      if (response.statusCode !== 200) throw new Error(`the letter's PDF answered ${response.statusCode}`);
      return response.rawPayload;
    },
  };

  async function letterData(request: FastifyRequest<{ Params: LetterParams }>) {
    const data = await listLetterRecipients(db, idOf(request.params.id));
    if (!data) throw new AppError("not_found");
    const user = requirePermission(request, "recipients.manage", data.letter.campaignId);
    return { data, user };
  }

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
      const key = request.query.notice;
      return listPage(request, reply, {
        user,
        data,
        notice: key && Object.hasOwn(NOTICES, key) ? request.t(NOTICES[key]!) : undefined,
      });
    },
  );

  app.post<{ Params: LetterParams }>(
    "/admin/letters/:id/recipients",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { data, user } = await letterData(request);
      const values = recipientValuesFrom(request.body);
      const again = (status: number, errors: FieldErrors | undefined, problem: string) =>
        listPage(request, reply, { user, data, add: { values, errors, problem } }, status);
      const csrf = csrfProblem(request);
      if (csrf) return again(403, undefined, csrf);
      try {
        await saveRecipient(
          deps,
          { actor: actorOf(user), letterId: data.letter.id, fields: values },
          deps.now(),
        );
      } catch (error) {
        const invalid = invalidForm(error, request.t);
        if (invalid) return again(400, invalid.errors, invalid.problem);
        throw error;
      }
      return reply.redirect(`/admin/letters/${data.letter.id}/recipients?notice=added`, 303);
    },
  );

  app.post<{ Params: LetterParams }>(
    "/admin/letters/:id/recipients/import",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { data, user } = await letterData(request);
      const csv = typed(request.body, "csv") ?? "";
      const again = (status: number, errors: FieldErrors | undefined, problem: string) =>
        listPage(request, reply, { user, data, importForm: { values: { csv }, errors, problem } }, status);
      const csrf = csrfProblem(request);
      if (csrf) return again(403, undefined, csrf);
      try {
        const report = await importRecipients(
          deps,
          { actor: actorOf(user), letterId: data.letter.id, csv },
          deps.now(),
        );
        const fresh = (await listLetterRecipients(db, data.letter.id))!;
        // The report is the answer: shown on the page rather than lost in a redirect.
        return listPage(request, reply, {
          user,
          data: fresh,
          importReport: report,
          // Refused rows stay in the box so they can be corrected and imported again.
          importForm: report.invalid > 0 ? { values: { csv } } : undefined,
        });
      } catch (error) {
        const invalid = invalidForm(error, request.t);
        if (invalid) return again(400, invalid.errors, invalid.problem);
        throw error;
      }
    },
  );

  app.post<{ Params: LetterParams }>(
    "/admin/letters/:id/recipients/deliver",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { data, user } = await letterData(request);
      const selected = checked(request.body, "recipient")
        .filter((v) => ID.test(v))
        .map(Number);
      const resend = checked(request.body, "resend").includes("1");
      const again = (status: number, problem: string) =>
        listPage(request, reply, { user, data, deliver: { problem, selected, resend } }, status);
      const csrf = csrfProblem(request);
      if (csrf) return again(403, csrf);
      try {
        const result = await deliverLetter(
          { ...deps, letterPdf },
          { actor: actorOf(user), letterId: data.letter.id, recipientIds: selected, resend },
          deps.now(),
        );
        const fresh = (await listLetterRecipients(db, data.letter.id))!;
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
        return listPage(request, reply, { user, data: fresh, notice });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const reason = firstMessage(error, request.t);
        if (reason && ["validation", "conflict", "invalid_state", "unavailable"].includes(error.code))
          return again(error.status, reason);
        throw error;
      }
    },
  );

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

  /** Permission and ids for a recipient's forms; a refused CSRF check comes back as `csrf`. */
  async function recipientRequest(request: FastifyRequest<{ Params: RecipientParams }>) {
    const { data, user } = await letterData(request);
    const recipientId = idOf(request.params.recipientId);
    if (!data.recipients.some((r) => r.id === recipientId)) throw new AppError("not_found");
    return { data, user, recipientId, letterId: data.letter.id, csrf: csrfProblem(request) };
  }

  const backTo = (letterId: number, recipientId: number, notice: string) =>
    `/admin/letters/${letterId}/recipients/${recipientId}?notice=${notice}`;

  app.get<{ Params: RecipientParams; Querystring: { notice?: string } }>(
    "/admin/letters/:id/recipients/:recipientId",
    async (request, reply) => {
      const key = request.query.notice;
      return recipientPage(request, reply, {
        notice: key && Object.hasOwn(NOTICES, key) ? request.t(NOTICES[key]!) : undefined,
      });
    },
  );

  app.post<{ Params: RecipientParams }>(
    "/admin/letters/:id/recipients/:recipientId",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { user, recipientId, letterId, csrf } = await recipientRequest(request);
      const values = recipientValuesFrom(request.body);
      if (csrf) return recipientPage(request, reply, { edit: { values, problem: csrf } }, 403);
      try {
        await saveRecipient(
          deps,
          { actor: actorOf(user), letterId, recipientId, fields: values },
          deps.now(),
        );
      } catch (error) {
        const invalid = invalidForm(error, request.t);
        if (invalid) return recipientPage(request, reply, { edit: { values, ...invalid } }, 400);
        throw error;
      }
      return reply.redirect(backTo(letterId, recipientId, "saved"), 303);
    },
  );

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

  app.post<{ Params: RecipientParams }>(
    "/admin/letters/:id/recipients/:recipientId/deliveries",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { user, recipientId, letterId, csrf } = await recipientRequest(request);
      const values: ManualDeliveryValues = {
        method: typed(request.body, "method") ?? "",
        deliveredOn: typed(request.body, "deliveredOn") ?? "",
        deliveryNote: typed(request.body, "deliveryNote") ?? "",
      };
      if (csrf) return recipientPage(request, reply, { manual: { values, problem: csrf } }, 403);
      try {
        await recordManualDelivery(
          deps,
          {
            actor: actorOf(user),
            letterId,
            recipientId,
            form: { method: values.method, deliveredOn: values.deliveredOn, note: values.deliveryNote },
          },
          deps.now(),
        );
      } catch (error) {
        if (error instanceof AppError && (error.code === "validation" || error.code === "invalid_state")) {
          const errors = messagesOf(error, request.t);
          if (errors.note) errors.deliveryNote = errors.note;
          return recipientPage(
            request,
            reply,
            {
              manual: {
                values,
                errors,
                problem: errors.delivery ?? request.t("error.validation"),
              },
            },
            error.status,
          );
        }
        throw error;
      }
      return reply.redirect(backTo(letterId, recipientId, "recorded"), 303);
    },
  );

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
    uploads.post<{ Params: RecipientParams }>(
      "/admin/letters/:id/recipients/:recipientId/responses",
      { config: { csrf: "rerender" }, bodyLimit: MAX_RESPONSE_DOCUMENT_BYTES + 64 * 1024 },
      async (request, reply) => {
        const { user, recipientId, letterId, csrf } = await recipientRequest(request);
        const values: ResponseValues = {
          receivedOn: typed(request.body, "receivedOn") ?? "",
          summary: typed(request.body, "summary") ?? "",
          isPublic: typed(request.body, "isPublic") === "1",
        };
        if (csrf) return recipientPage(request, reply, { response: { values, problem: csrf } }, 403);
        const file = (request.body as Record<string, unknown> | undefined)?.document;
        try {
          await recordResponse(
            deps,
            {
              actor: actorOf(user),
              letterId,
              recipientId,
              form: values,
              document: Buffer.isBuffer(file) && file.length > 0 ? file : undefined,
            },
            deps.now(),
          );
        } catch (error) {
          const invalid = invalidForm(error, request.t);
          if (invalid) return recipientPage(request, reply, { response: { values, ...invalid } }, 400);
          throw error;
        }
        return reply.redirect(backTo(letterId, recipientId, "response"), 303);
      },
    );
  });

  // A campaign's stances.
  async function campaignOf(request: FastifyRequest<{ Params: { slug: string } }>) {
    const campaign = await db
      .selectFrom("campaigns")
      .select(["id", "slug", "name"])
      .where("slug", "=", request.params.slug)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    const user = requirePermission(request, "recipients.manage", campaign.id);
    return { campaign, user };
  }

  const stancesPage = async (
    request: FastifyRequest<{ Params: { slug: string } }>,
    reply: FastifyReply,
    extra: { notice?: string; form?: Parameters<typeof StancesPage>[0]["form"] } = {},
    status = 200,
  ) => {
    const { campaign, user } = await campaignOf(request);
    return sendPage(
      reply,
      StancesPage({
        ctx: pageContext(request, reply),
        user,
        campaign,
        stances: await listCampaignStances(db, campaign.id),
        ...extra,
      }),
      status,
    );
  };

  const STANCE_NOTICES: Record<string, MessageKey> = { saved: "stances.saved", removed: "stances.removed" };

  app.get<{ Params: { slug: string }; Querystring: { notice?: string } }>(
    "/admin/campaigns/:slug/stances",
    async (request, reply) => {
      const key = request.query.notice;
      return stancesPage(
        request,
        reply,
        key && Object.hasOwn(STANCE_NOTICES, key) ? { notice: request.t(STANCE_NOTICES[key]!) } : {},
      );
    },
  );

  async function postStance(
    request: FastifyRequest<{ Params: { slug: string; stanceId?: string } }>,
    reply: FastifyReply,
    user: SessionUser,
    campaign: { id: number; slug: string },
    stanceId: number | undefined,
  ) {
    const prefix = stanceId === undefined ? "" : `s${stanceId}-`;
    const values: StanceValues = {
      label: typed(request.body, `${prefix}label`) ?? "",
      en: typed(request.body, `${prefix}en`) ?? "",
      my: typed(request.body, `${prefix}my`) ?? "",
    };
    const csrf = csrfProblem(request);
    if (csrf) return stancesPage(request, reply, { form: { values, problem: csrf, stanceId } }, 403);
    try {
      await saveStance(
        deps,
        {
          actor: actorOf(user),
          campaignId: campaign.id,
          stanceId,
          form: { label: values.label, translations: { en: values.en, my: values.my } },
        },
        deps.now(),
      );
    } catch (error) {
      const invalid = invalidForm(error, request.t);
      if (invalid) return stancesPage(request, reply, { form: { values, ...invalid, stanceId } }, 400);
      throw error;
    }
    return reply.redirect(`/admin/campaigns/${campaign.slug}/stances?notice=saved`, 303);
  }

  app.post<{ Params: { slug: string } }>(
    "/admin/campaigns/:slug/stances",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignOf(request);
      return postStance(request, reply, user, campaign, undefined);
    },
  );

  app.post<{ Params: { slug: string; stanceId: string } }>(
    "/admin/campaigns/:slug/stances/:stanceId",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignOf(request);
      return postStance(request, reply, user, campaign, idOf(request.params.stanceId));
    },
  );

  // Removing a stance: a confirmation page saying how many recipients carry it, then the removal.
  const removeStancePage = async (
    request: FastifyRequest<{ Params: { slug: string; stanceId: string } }>,
    reply: FastifyReply,
    problem?: string,
    status = 200,
  ) => {
    const { campaign, user } = await campaignOf(request);
    const stanceId = idOf(request.params.stanceId);
    const stance = (await listCampaignStances(db, campaign.id)).find((s) => s.id === stanceId);
    if (!stance) throw new AppError("not_found");
    const { recipients } = await countStanceRecipients(db, stance.id);
    return sendPage(
      reply,
      StanceRemovePage({
        ctx: pageContext(request, reply),
        user,
        campaign,
        stance,
        carriedBy: recipients,
        problem,
      }),
      status,
    );
  };

  app.get<{ Params: { slug: string; stanceId: string } }>(
    "/admin/campaigns/:slug/stances/:stanceId/remove",
    async (request, reply) => removeStancePage(request, reply),
  );

  app.post<{ Params: { slug: string; stanceId: string } }>(
    "/admin/campaigns/:slug/stances/:stanceId/remove",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { campaign, user } = await campaignOf(request);
      const csrf = csrfProblem(request);
      if (csrf) return removeStancePage(request, reply, csrf, 403);
      await removeStance(
        deps,
        { actor: actorOf(user), campaignId: campaign.id, stanceId: idOf(request.params.stanceId) },
        deps.now(),
      );
      return reply.redirect(`/admin/campaigns/${campaign.slug}/stances?notice=removed`, 303);
    },
  );
};
