import { z } from "zod";
import { createCampaign } from "../../../commands/create-campaign.ts";
import { createLetter } from "../../../commands/create-letter.ts";
import { AppError } from "../../../domain/app-error.ts";
import { LETTER_LANGUAGES, LETTER_SLUG, SLUG_MAX, slugify } from "../../../domain/letter-settings.ts";
import { campaignsWhere } from "../../../policies/policy.ts";
import { getConsoleCampaign, listConsoleCampaigns } from "../../../queries/list-console-campaigns.ts";
import type { AppDeps, RouteModule } from "../../app-deps.ts";
import { translatedFieldErrors } from "../../forms/field-errors.ts";
import { csrfProblem, optionalText, parseForm, requiredText, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission, requireUser } from "../../session.ts";
import { CampaignPage, CampaignsPage } from "../../views/admin/campaigns-page.tsx";

const slugField = z
  .string()
  .trim()
  .min(1, "field.required")
  .max(SLUG_MAX, "field.tooLong")
  .regex(LETTER_SLUG, "letters.slugFormat");

const campaignForm = z.object({
  name: requiredText(200),
  slug: slugField,
  description: z.string().trim().max(2000, "field.tooLong").default(""),
});

const letterForm = z.object({
  title: requiredText(300),
  // Suggested from the title when left empty (Latin titles only; others must type one).
  slug: optionalText(SLUG_MAX),
  language: z.enum(LETTER_LANGUAGES, "field.required"),
});

/** The campaigns this user may open, for lists and choices. */
export function visibleCampaigns(db: AppDeps["store"]["db"], user: SessionUser) {
  return listConsoleCampaigns(db, campaignsWhere(user, "campaign.view"));
}

/** The console's campaigns: the list, a new campaign, one campaign's letters and a new draft in it. */
export const campaignConsoleRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  app.get("/admin/campaigns", async (request, reply) => {
    const user = requirePermission(request, "console.view");
    return sendPage(
      reply,
      CampaignsPage({ ctx: pageContext(request, reply), user, campaigns: await visibleCampaigns(db, user) }),
    );
  });

  app.post("/admin/campaigns", { config: { csrf: "rerender" } }, async (request, reply) => {
    const user = requirePermission(request, "campaign.create");
    const values = {
      name: typed(request.body, "name") ?? "",
      slug: typed(request.body, "slug") ?? "",
      description: typed(request.body, "description") ?? "",
    };
    const again = async (
      status: number,
      form: { errors?: Record<string, string | undefined>; problem?: string },
    ) =>
      sendPage(
        reply,
        CampaignsPage({
          ctx: pageContext(request, reply),
          user,
          campaigns: await visibleCampaigns(db, user),
          form: { values, ...form },
        }),
        status,
      );
    const csrf = csrfProblem(request);
    if (csrf) return again(403, { problem: csrf });
    const form = parseForm(campaignForm, values, request.t);
    if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });
    try {
      const campaign = await createCampaign(deps, { actor: actorOf(user), ...form.data }, deps.now());
      return reply.redirect(`/admin/campaigns/${campaign.slug}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === "validation")
        return again(400, {
          errors: translatedFieldErrors(error, request.t),
          problem: request.t("error.validation"),
        });
      throw error;
    }
  });

  app.get<{ Params: { slug: string } }>("/admin/campaigns/:slug", async (request, reply) => {
    requireUser(request);
    const campaign = await getConsoleCampaign(db, request.params.slug);
    if (!campaign) throw new AppError("not_found");
    const user = requirePermission(request, "campaign.view", campaign.id);
    return sendPage(
      reply,
      CampaignPage({ ctx: pageContext(request, reply), user, campaign, letters: campaign.letterList }),
    );
  });

  app.post<{ Params: { slug: string } }>(
    "/admin/campaigns/:slug/letters",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      requireUser(request);
      const campaign = await getConsoleCampaign(db, request.params.slug);
      if (!campaign) throw new AppError("not_found");
      const user = requirePermission(request, "letter.edit", campaign.id);
      const values = {
        title: typed(request.body, "title") ?? "",
        slug: typed(request.body, "slug") ?? "",
        language: typed(request.body, "language") ?? "en",
      };
      const again = (
        status: number,
        form: { errors?: Record<string, string | undefined>; problem?: string },
      ) =>
        sendPage(
          reply,
          CampaignPage({
            ctx: pageContext(request, reply),
            user,
            campaign,
            letters: campaign.letterList,
            form: { values, ...form },
          }),
          status,
        );
      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });
      const form = parseForm(letterForm, values, request.t);
      if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });
      const slug = form.data.slug ?? slugify(form.data.title);
      const slugCheck = parseForm(z.object({ slug: slugField }), { slug }, request.t);
      if (!slugCheck.ok)
        return again(400, { errors: slugCheck.errors, problem: request.t("error.validation") });
      try {
        const letter = await createLetter(
          deps,
          {
            actor: actorOf(user),
            draft: {
              slug: slugCheck.data.slug,
              campaignId: campaign.id,
              defaultLanguage: form.data.language,
              letterDate: null,
              publicationDate: null,
              signers: "organisations",
              categories: [],
              requiredFields: [],
              moderation: true,
              allowUndisclosed: true,
              deadline: null,
              publisher: { name: null, url: null, links: [] },
              translations: [
                {
                  language: form.data.language,
                  title: form.data.title,
                  subject: "",
                  addressees: [],
                  salutation: "",
                  body: "",
                  closing: "",
                  publisherAbout: "",
                },
              ],
            },
          },
          deps.now(),
        );
        return reply.redirect(`/admin/letters/${letter.id}`, 303);
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
};
