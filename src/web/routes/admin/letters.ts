import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { saveLetter } from "../../../commands/save-letter.ts";
import { uploadPublisherLogo } from "../../../commands/upload-publisher-logo.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { NO_LABELS, withLabelTranslation } from "../../../domain/label-translations.ts";
import type { TranslationContent } from "../../../domain/letter-content-hash.ts";
import { privateSignOnUrl } from "../../../domain/letter-settings.ts";
import { isLetterTransition } from "../../../domain/letter-states.ts";
import { MAX_LOGO_BYTES } from "../../../domain/uploads.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { type CampaignAction, campaignsWhere } from "../../../policies/policy.ts";
import { getLetterForEditing } from "../../../queries/get-letter-for-editing.ts";
import { listConsoleCampaigns } from "../../../queries/list-console-campaigns.ts";
import { draftFromLetter, type LetterDraft } from "../../../store/letter-rows.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import {
  type LabelValues,
  labelTranslationFrom,
  labelValuesFromBody,
  labelValuesOf,
} from "../../forms/label-form.ts";
import {
  applyGroupAction,
  type EditorValues,
  editorAction,
  editorSchema,
  editorValuesFromBody,
  editorValuesOf,
  type TextValues,
  textsSchema,
  textValuesFromBody,
  textValuesOf,
  toTranslation,
  withCountStatement,
} from "../../forms/letter-form.ts";
import { typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { consoleLetterOf } from "../../http/console-letter.ts";
import { noticeOf } from "../../http/notices.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import { LetterEditorPage, type LetterEditorProps } from "../../views/admin/letter-editor-page.tsx";
import { TranslationPage, type TranslationPageProps } from "../../views/admin/translation-page.tsx";

type Params = { id: string };

/** What saving a letter may answer besides a redirect: the one-time private link, or the newer stamp. */
type SaveAnswer = { privateLinkToken?: string; updatedAt?: string };
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Notices a redirect may ask the editor to show; anything else in the query is ignored. */
const NOTICES: Record<string, MessageKey> = {
  saved: "letters.saved",
  unchanged: "letters.unchanged",
  logo: "letters.logoSaved",
  translationRemoved: "letters.translationRemoved",
};

/** The notices of a translation page. */
const TRANSLATION_NOTICES: Record<string, MessageKey> = {
  saved: "letters.saved",
  unchanged: "letters.unchanged",
};

/** The letter editor, its translations and logo upload. */
export const letterConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  const letterOf = (request: FastifyRequest<{ Params: Params }>) => consoleLetterOf(db, request);

  /** The letter of the route, once the signed-in user may take the action in its campaign. */
  async function letterFor(
    request: FastifyRequest<{ Params: Params }>,
    action: CampaignAction,
  ): Promise<{ user: SessionUser; letter: EditableLetter }> {
    const letter = await letterOf(request);
    return { user: requirePermission(request, action, letter.campaign.id), letter };
  }

  /** The editor's forms: the letter loaded, the person allowed to edit it. */
  const letterForm = {
    load: letterOf,
    authorise: (request: FastifyRequest, letter: EditableLetter) =>
      requirePermission(request, "letter.edit", letter.campaign.id),
  };

  /** The campaigns the user may move a letter to. */
  const editableCampaigns = (user: SessionUser) =>
    listConsoleCampaigns(db, campaignsWhere(user, "letter.edit"));

  /** A letter's translation page, in the language the route names. */
  const translationPage = (
    request: FastifyRequest<{ Params: Params & { language: string } }>,
    reply: FastifyReply,
    user: SessionUser,
    letter: EditableLetter,
    props: Pick<TranslationPageProps, "values" | "updatedAt" | "errors" | "problem" | "notice">,
    status = 200,
  ) => {
    const { language } = request.params;
    const exists = letter.translations.some((t) => t.language === language);
    return sendPage(
      reply,
      TranslationPage({ ctx: pageContext(request, reply), user, letter, language, exists, ...props }),
      status,
    );
  };

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

  app.get<{ Params: Params; Querystring: { notice?: string; version?: string; changed?: string } }>(
    "/admin/letters/:id",
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const { notice, version, changed } = request.query;
      const message =
        notice === "version" && version
          ? request.t("letters.savedNewVersion", { number: Number(version) || 0 })
          : noticeOf(request, NOTICES, notice);
      return editor(request, reply, {
        user,
        letter,
        values: editorValuesOf(letter),
        notice: message,
        stateChanged: isLetterTransition(changed)
          ? { transition: changed, publicUrl: `${deps.config.baseUrl}/letters/${letter.slug}` }
          : undefined,
      });
    },
  );

  formRoute(app, deps, "/admin/letters/:id", {
    ...letterForm,
    values: editorValuesFromBody,
    rearrange: ({ request, values }) => {
      const action = editorAction(request.body);
      return action.kind === "save"
        ? undefined
        : formAgain<EditorValues, SaveAnswer>(200, { values: applyGroupAction(values, action) });
    },
    schema: editorSchema,
    command: async (data, { request, user, loaded: letter, now }) => {
      const campaign = (await editableCampaigns(user)).find((c) => c.slug === data.campaign);
      if (!campaign)
        return formAgain<EditorValues, SaveAnswer>(400, {
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
        releaseEveryHours: data.releaseEveryHours,
        deadline: data.deadline,
        publisher: { name: data.publisherName, url: data.publisherUrl, links: data.publisherLinks },
        translations: withTranslation(letter.translations, toTranslation(data.language, data)),
        countStatements: withCountStatement(letter.countStatements, data.language, data.countStatement),
      };
      return save(request, user, letter, draft, data.updatedAt, now, {
        privateLink: data.privateLink,
        removeLogo: data.removeLogo,
      });
    },
    render: async (
      { request, reply, user, loaded: letter },
      status,
      { privateLinkToken, updatedAt, ...form },
    ) => {
      if (privateLinkToken) {
        // The only time the link exists in the clear: shown on this page, never redirected through a URL.
        const fresh = (await getLetterForEditing(db, letter.id))!;
        return editor(request, reply, {
          user,
          letter: fresh,
          values: editorValuesOf(fresh),
          notice: request.t("letters.saved"),
          privateLink: privateSignOnUrl(deps.config.baseUrl, fresh.slug, privateLinkToken),
        });
      }
      const values = updatedAt ? { ...form.values, updatedAt } : form.values;
      return editor(request, reply, { user, letter, ...form, values }, status);
    },
    redirect: ({ query }, { loaded: letter }) => `/admin/letters/${letter.id}?${query}`,
  });

  /**
   * Runs the save command. A success is the redirect's query; a conflict (someone saved meanwhile) keeps what
   * this person typed and takes the other save's stamp, so saving again is a deliberate overwrite.
   */
  async function save<V>(
    request: FastifyRequest,
    user: SessionUser,
    letter: EditableLetter,
    draft: LetterDraft,
    expectedUpdatedAt: string,
    now: Date,
    options: { privateLink?: "keep" | "new" | "remove"; removeLogo?: boolean } = {},
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
        now,
      );
      if (result.outcome === "saved" && result.privateLinkToken)
        return formAgain<V, SaveAnswer>(200, { privateLinkToken: result.privateLinkToken });
      const query =
        result.outcome === "unchanged"
          ? "notice=unchanged"
          : result.newVersion
            ? `notice=version&version=${result.versionNumber}`
            : "notice=saved";
      return { query };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict") throw error;
      const fresh = await getLetterForEditing(db, letter.id);
      return formAgain<V, SaveAnswer>(409, {
        problem: request.t("letters.conflict"),
        updatedAt: fresh?.updatedAt ?? expectedUpdatedAt,
      });
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
      return translationPage(request, reply, user, letter, {
        values: {
          ...textValuesOf(existing, letter.countStatements[language]),
          ...labelValuesOf(letter, language),
        },
        updatedAt: letter.updatedAt,
        notice: noticeOf(request, TRANSLATION_NOTICES, request.query.notice),
      });
    },
  );

  formRoute(app, deps, "/admin/letters/:id/translations/:language", {
    load: async (request: FastifyRequest<{ Params: Params & { language: string } }>) => {
      const letter = await letterOf(request);
      const { language } = request.params;
      if (!LANGUAGE.test(language) || language === letter.defaultLanguage) throw new AppError("not_found");
      return letter;
    },
    authorise: letterForm.authorise,
    values: (body) => ({ ...textValuesFromBody(body), ...labelValuesFromBody(body) }),
    rearrange: ({ request, values }) => {
      const action = editorAction(request.body);
      return action.kind === "save"
        ? undefined
        : formAgain<TextValues & LabelValues, SaveAnswer>(200, { values: applyGroupAction(values, action) });
    },
    schema: textsSchema,
    command: (texts, { request, user, loaded: letter, now }) => {
      const { language } = request.params;
      const draft: LetterDraft = {
        ...draftFromLetter(letter),
        translations: withTranslation(letter.translations, toTranslation(language, texts)),
        countStatements: withCountStatement(letter.countStatements, language, texts.countStatement),
        labelTranslations: withLabelTranslation(
          letter.labelTranslations,
          language,
          labelTranslationFrom(letter, labelValuesFromBody(request.body)),
        ),
      };
      return save(request, user, letter, draft, typedUpdatedAt(request.body) ?? letter.updatedAt, now);
    },
    render: ({ request, reply, user, loaded: letter }, status, { updatedAt, ...form }) =>
      translationPage(
        request,
        reply,
        user,
        letter,
        { ...form, updatedAt: updatedAt ?? typedUpdatedAt(request.body) ?? letter.updatedAt },
        status,
      ),
    redirect: ({ query }, { request, loaded: letter }) =>
      `/admin/letters/${letter.id}/translations/${request.params.language}?${query.startsWith("notice=unchanged") ? "notice=unchanged" : "notice=saved"}`,
  });

  app.post<{ Params: Params & { language: string } }>(
    "/admin/letters/:id/translations/:language/remove",
    async (request, reply) => {
      const { user, letter } = await letterFor(request, "letter.edit");
      const { language } = request.params;
      if (language === letter.defaultLanguage) throw new AppError("invalid_state");
      const draft: LetterDraft = {
        ...draftFromLetter(letter),
        translations: letter.translations.filter((t) => t.language !== language),
        countStatements: withCountStatement(letter.countStatements, language, ""),
        labelTranslations: withLabelTranslation(letter.labelTranslations, language, NO_LABELS),
      };
      const saved = await save(
        request,
        user,
        letter,
        draft,
        typedUpdatedAt(request.body) ?? letter.updatedAt,
        deps.now(),
      );
      // Nothing is typed here to keep: someone else's save meanwhile is answered as the conflict it is.
      if (!("query" in saved)) throw new AppError("conflict");
      return reply.redirect(`/admin/letters/${letter.id}?notice=translationRemoved`, 303);
    },
  );

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: "keyValues",
      // One byte over the limit is enough to know the file is too large; the rest is drained, not kept.
      limits: { fileSize: MAX_LOGO_BYTES + 1, files: 1, fields: 2, parts: 3 },
      throwFileSizeLimit: false,
    });
    formRoute(uploads, deps, "/admin/letters/:id/logo", {
      ...letterForm,
      // Nothing of the editor is typed into this form: the editor comes back as the letter has it.
      values: (_, letter) => editorValuesOf(letter),
      command: async (_, { request, user, loaded: letter, now }) => {
        const file = (request.body as Record<string, unknown> | undefined)?.logo;
        if (!Buffer.isBuffer(file) || file.length === 0)
          return formAgain(400, {
            errors: { logo: request.t("letters.logoMissing") },
            problem: request.t("error.validation"),
          });
        return uploadPublisherLogo(deps, { actor: actorOf(user), letterId: letter.id, bytes: file }, now);
      },
      render: ({ request, reply, user, loaded: letter }, status, form) =>
        editor(request, reply, { user, letter, ...form }, status),
      redirect: (_, { loaded: letter }) => `/admin/letters/${letter.id}?notice=logo`,
    });
  });
};

/** The translations with `next` replacing the one in its language, or added. */
function withTranslation(translations: TranslationContent[], next: TranslationContent): TranslationContent[] {
  return translations.some((t) => t.language === next.language)
    ? translations.map((t) => (t.language === next.language ? next : t))
    : [...translations, next];
}

/** The stamp of the version the person started from, sent back with the form. */
function typedUpdatedAt(body: unknown): string | undefined {
  return typed(body, "updatedAt");
}
