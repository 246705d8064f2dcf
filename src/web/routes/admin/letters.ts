import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { changeLetterState } from "../../../commands/change-letter-state.ts";
import { saveLetter } from "../../../commands/save-letter.ts";
import { uploadPublisherLogo } from "../../../commands/upload-publisher-logo.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import type { TranslationContent } from "../../../domain/letter-content-hash.ts";
import { privateSignOnUrl } from "../../../domain/letter-settings.ts";
import { isLetterTransition, type LetterTransition } from "../../../domain/letter-states.ts";
import { MAX_LOGO_BYTES } from "../../../domain/uploads.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { type CampaignAction, campaignsWhere } from "../../../policies/policy.ts";
import { getLetterForEditing } from "../../../queries/get-letter-for-editing.ts";
import { getLetterForPreview } from "../../../queries/get-public-letter.ts";
import { listConsoleCampaigns } from "../../../queries/list-console-campaigns.ts";
import { listLetterVersions } from "../../../queries/list-letter-versions.ts";
import { draftFromLetter, type LetterDraft } from "../../../store/letter-rows.ts";
import type { RouteModule } from "../../app-deps.ts";
import { translatedFieldErrors } from "../../forms/field-errors.ts";
import {
  applyGroupAction,
  editorAction,
  editorSchema,
  editorValuesFromBody,
  editorValuesOf,
  textsSchema,
  textValuesFromBody,
  textValuesOf,
  toTranslation,
} from "../../forms/letter-form.ts";
import { csrfProblem, parseForm } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { ID } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission, requireUser } from "../../session.ts";
import { LetterEditorPage, type LetterEditorProps } from "../../views/admin/letter-editor-page.tsx";
import { LetterStatePage } from "../../views/admin/letter-state-page.tsx";
import { LetterVersionsPage } from "../../views/admin/letter-versions-page.tsx";
import { TranslationPage, type TranslationPageProps } from "../../views/admin/translation-page.tsx";
import { LetterPage } from "../../views/public/letter-page.tsx";

type Params = { id: string };
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Notices a redirect may ask the editor to show; anything else in the query is ignored. */
const NOTICES: Record<string, MessageKey> = {
  saved: "letters.saved",
  unchanged: "letters.unchanged",
  logo: "letters.logoSaved",
  translationRemoved: "letters.translationRemoved",
};

/** The letter editor, its translations, preview, versions, state changes and logo upload. */
export const letterConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  /** The letter of the route, once the signed-in user may take the action in its campaign. */
  async function letterFor(
    request: FastifyRequest<{ Params: Params }>,
    action: CampaignAction,
  ): Promise<{ user: SessionUser; letter: EditableLetter }> {
    requireUser(request);
    const id = ID.test(request.params.id) ? Number(request.params.id) : undefined;
    const letter = id === undefined ? undefined : await getLetterForEditing(db, id);
    if (!letter) throw new AppError("not_found");
    return { user: requirePermission(request, action, letter.campaign.id), letter };
  }

  /** The campaigns the user may move a letter to. */
  const editableCampaigns = (user: SessionUser) =>
    listConsoleCampaigns(db, campaignsWhere(user, "letter.edit"));

  async function editor(
    request: FastifyRequest,
    reply: FastifyReply,
    props: Omit<LetterEditorProps, "ctx" | "campaigns">,
    status = 200,
  ) {
    return sendPage(
      reply,
      LetterEditorPage({
        ctx: pageContext(request, reply),
        campaigns: await editableCampaigns(props.user),
        ...props,
      }),
      status,
    );
  }

  app.get<{ Params: Params; Querystring: { notice?: string; version?: string } }>(
    "/admin/letters/:id",
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const { notice, version } = request.query;
      const message =
        notice === "version" && version
          ? request.t("letters.savedNewVersion", { number: Number(version) || 0 })
          : notice && Object.hasOwn(NOTICES, notice)
            ? request.t(NOTICES[notice]!)
            : undefined;
      return editor(request, reply, { user, letter, values: editorValuesOf(letter), notice: message });
    },
  );

  app.post<{ Params: Params }>(
    "/admin/letters/:id",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const values = editorValuesFromBody(request.body);
      const again = (status: number, extra: Partial<LetterEditorProps> = {}) =>
        editor(request, reply, { user, letter, values, ...extra }, status);

      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });
      const action = editorAction(request.body);
      if (action.kind !== "save") return again(200, { values: applyGroupAction(values, action) });
      const form = parseForm(editorSchema, values, request.t);
      if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });
      const data = form.data;
      const campaign = (await editableCampaigns(user)).find((c) => c.slug === data.campaign);
      if (!campaign)
        return again(400, {
          errors: { campaign: request.t("letters.campaignUnknown") },
          problem: request.t("error.validation"),
        });

      const draft: LetterDraft = {
        ...draftFromLetter(letter),
        slug: data.slug,
        campaignId: campaign.id,
        defaultLanguage: data.defaultLanguage,
        letterDate: data.letterDate,
        publicationDate: data.publicationDate,
        signers: data.signers,
        categories: data.categories,
        requiredFields: data.requiredFields,
        moderation: data.moderation,
        allowUndisclosed: data.allowUndisclosed,
        deadline: data.deadline,
        publisher: { name: data.publisherName, url: data.publisherUrl, links: data.publisherLinks },
        translations: withTranslation(letter.translations, toTranslation(data.language, data)),
      };
      return save(request, reply, user, letter, draft, data.updatedAt, {
        privateLink: data.privateLink,
        removeLogo: data.removeLogo,
        again,
        done: (outcome) => `/admin/letters/${letter.id}?${outcome}`,
      });
    },
  );

  /** Runs the save command and answers: a redirect, the editor again with the reasons, or the one-time link. */
  async function save(
    request: FastifyRequest,
    reply: FastifyReply,
    user: SessionUser,
    letter: EditableLetter,
    draft: LetterDraft,
    expectedUpdatedAt: string,
    options: {
      privateLink?: "keep" | "new" | "remove";
      removeLogo?: boolean;
      again: (
        status: number,
        extra: { errors?: Record<string, string | undefined>; problem?: string; updatedAt?: string },
      ) => Promise<FastifyReply>;
      done: (query: string) => string;
    },
  ) {
    try {
      const result = await saveLetter(
        deps,
        {
          actor: actorOf(user),
          letterId: letter.id,
          draft,
          expectedUpdatedAt,
          privateLink: options.privateLink ?? "keep",
          removeLogo: options.removeLogo ?? false,
        },
        deps.now(),
      );
      if (result.outcome === "saved" && result.privateLinkToken) {
        // The only time the link exists in the clear: shown on this page, never redirected through a URL.
        const fresh = (await getLetterForEditing(db, letter.id))!;
        return editor(request, reply, {
          user,
          letter: fresh,
          values: editorValuesOf(fresh),
          notice: request.t("letters.saved"),
          privateLink: privateSignOnUrl(deps.config.baseUrl, fresh.slug, result.privateLinkToken),
        });
      }
      const query =
        result.outcome === "unchanged"
          ? "notice=unchanged"
          : result.newVersion
            ? `notice=version&version=${result.versionNumber}`
            : "notice=saved";
      return reply.redirect(options.done(query), 303);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "validation")
        return options.again(400, {
          errors: translatedFieldErrors(error, request.t),
          problem: request.t("error.validation"),
        });
      if (error.code === "conflict") {
        // Keep what this person typed, and take the other save's stamp so saving again is a deliberate overwrite.
        const fresh = await getLetterForEditing(db, letter.id);
        return options.again(409, {
          problem: request.t("letters.conflict"),
          updatedAt: fresh?.updatedAt ?? expectedUpdatedAt,
        });
      }
      throw error;
    }
  }

  app.get<{ Params: Params; Querystring: { language?: string } }>(
    "/admin/letters/:id/translation",
    async (request, reply) => {
      const { letter } = await letterFor(request, "letter.edit");
      const language = request.query.language ?? "";
      return reply.redirect(
        LANGUAGE.test(language)
          ? `/admin/letters/${letter.id}/translations/${language}`
          : `/admin/letters/${letter.id}`,
        303,
      );
    },
  );

  app.get<{ Params: Params & { language: string }; Querystring: { notice?: string } }>(
    "/admin/letters/:id/translations/:language",
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const { language } = request.params;
      if (!LANGUAGE.test(language)) throw new AppError("not_found");
      if (language === letter.defaultLanguage) return reply.redirect(`/admin/letters/${letter.id}`, 303);
      const existing = letter.translations.find((t) => t.language === language);
      return sendPage(
        reply,
        TranslationPage({
          ctx: pageContext(request, reply),
          user,
          letter,
          language,
          values: textValuesOf(existing),
          updatedAt: letter.updatedAt,
          exists: existing !== undefined,
          notice:
            request.query.notice === "saved"
              ? request.t("letters.saved")
              : request.query.notice === "unchanged"
                ? request.t("letters.unchanged")
                : undefined,
        }),
      );
    },
  );

  app.post<{ Params: Params & { language: string } }>(
    "/admin/letters/:id/translations/:language",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const { language } = request.params;
      if (!LANGUAGE.test(language) || language === letter.defaultLanguage) throw new AppError("not_found");
      const values = textValuesFromBody(request.body);
      const updatedAt = (request.body as Record<string, unknown>)?.updatedAt;
      const base: Omit<TranslationPageProps, "ctx"> = {
        user,
        letter,
        language,
        values,
        updatedAt: typeof updatedAt === "string" ? updatedAt : letter.updatedAt,
        exists: letter.translations.some((t) => t.language === language),
      };
      const again = async (status: number, extra: Partial<TranslationPageProps> = {}) =>
        sendPage(reply, TranslationPage({ ctx: pageContext(request, reply), ...base, ...extra }), status);

      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });
      const action = editorAction(request.body);
      if (action.kind !== "save") return again(200, { values: applyGroupAction(values, action) });
      const form = parseForm(textsSchema, values, request.t);
      if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });
      const draft: LetterDraft = {
        ...draftFromLetter(letter),
        translations: withTranslation(letter.translations, toTranslation(language, form.data)),
      };
      return save(request, reply, user, letter, draft, base.updatedAt, {
        again,
        done: (query) =>
          `/admin/letters/${letter.id}/translations/${language}?${query.startsWith("notice=unchanged") ? "notice=unchanged" : "notice=saved"}`,
      });
    },
  );

  app.post<{ Params: Params & { language: string } }>(
    "/admin/letters/:id/translations/:language/remove",
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const { language } = request.params;
      if (language === letter.defaultLanguage) throw new AppError("invalid_state");
      const draft: LetterDraft = {
        ...draftFromLetter(letter),
        translations: letter.translations.filter((t) => t.language !== language),
      };
      const updatedAt = (request.body as Record<string, unknown>)?.updatedAt;
      return save(
        request,
        reply,
        user,
        letter,
        draft,
        typeof updatedAt === "string" ? updatedAt : letter.updatedAt,
        {
          again: async (_status, extra) => {
            throw new AppError(extra.updatedAt ? "conflict" : "validation");
          },
          done: () => `/admin/letters/${letter.id}?notice=translationRemoved`,
        },
      );
    },
  );

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
      return reply.redirect(`/admin/letters/${letter.id}?notice=saved`, 303);
    },
  );

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: "keyValues",
      // One byte over the limit is enough to know the file is too large; the rest is drained, not kept.
      limits: { fileSize: MAX_LOGO_BYTES + 1, files: 1, fields: 2, parts: 3 },
      throwFileSizeLimit: false,
    });
    uploads.post<{ Params: Params }>(
      "/admin/letters/:id/logo",
      { config: { csrf: "rerender" } },
      async (request, reply) => {
        const { user, letter } = await letterFor(request, "letter.edit");
        const again = (status: number, extra: Partial<LetterEditorProps>) =>
          editor(request, reply, { user, letter, values: editorValuesOf(letter), ...extra }, status);
        const csrf = csrfProblem(request);
        if (csrf) return again(403, { problem: csrf });
        const file = (request.body as Record<string, unknown> | undefined)?.logo;
        if (!Buffer.isBuffer(file) || file.length === 0)
          return again(400, {
            errors: { logo: request.t("letters.logoMissing") },
            problem: request.t("error.validation"),
          });
        try {
          await uploadPublisherLogo(
            deps,
            { actor: actorOf(user), letterId: letter.id, bytes: file },
            deps.now(),
          );
        } catch (error) {
          if (error instanceof AppError && error.code === "validation")
            return again(400, {
              errors: translatedFieldErrors(error, request.t),
              problem: request.t("error.validation"),
            });
          throw error;
        }
        return reply.redirect(`/admin/letters/${letter.id}?notice=logo`, 303);
      },
    );
  });
};

/** The translations with `next` replacing the one in its language, or added. */
function withTranslation(translations: TranslationContent[], next: TranslationContent): TranslationContent[] {
  return translations.some((t) => t.language === next.language)
    ? translations.map((t) => (t.language === next.language ? next : t))
    : [...translations, next];
}
