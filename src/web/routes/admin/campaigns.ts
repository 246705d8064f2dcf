import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { createCampaign } from "../../../commands/create-campaign.ts";
import { createLetter } from "../../../commands/create-letter.ts";
import { LETTER_LANGUAGES, LETTER_SLUG, SLUG_MAX, slugify } from "../../../domain/letter-settings.ts";
import { campaignsWhere } from "../../../policies/policy.ts";
import { listConsoleCampaigns } from "../../../queries/list-console-campaigns.ts";
import type { AppDeps, RouteModule } from "../../app-deps.ts";
import { formRoute, nothingToLoad } from "../../forms/form-route.ts";
import { optionalText, requiredText, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { consoleCampaignFor, consoleCampaignOf } from "../../http/console-campaign.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
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

const letterForm = z
  .object({
    title: requiredText(300),
    // Suggested from the title when left empty (Latin titles only; others must type one).
    slug: optionalText(SLUG_MAX),
    language: z.enum(LETTER_LANGUAGES, "field.required"),
  })
  .transform((form) => ({ ...form, slug: form.slug ?? slugify(form.title) }))
  .pipe(z.object({ title: z.string(), slug: slugField, language: z.enum(LETTER_LANGUAGES) }));

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

  formRoute(app, deps, "/admin/campaigns", {
    load: nothingToLoad,
    authorise: (request) => requirePermission(request, "campaign.create"),
    values: (body) => ({
      name: typed(body, "name") ?? "",
      slug: typed(body, "slug") ?? "",
      description: typed(body, "description") ?? "",
    }),
    schema: campaignForm,
    command: (data, { user, now }) => createCampaign(deps, { actor: actorOf(user), ...data }, now),
    render: async ({ request, reply, user }, status, form) =>
      sendPage(
        reply,
        CampaignsPage({
          ctx: pageContext(request, reply),
          user,
          campaigns: await visibleCampaigns(db, user),
          form,
        }),
        status,
      ),
    redirect: (campaign) => `/admin/campaigns/${campaign.slug}`,
  });

  app.get<{ Params: { slug: string } }>("/admin/campaigns/:slug", async (request, reply) => {
    const { campaign, user } = await consoleCampaignFor(db, request, "campaign.view");
    return sendPage(
      reply,
      CampaignPage({ ctx: pageContext(request, reply), user, campaign, letters: campaign.letterList }),
    );
  });

  formRoute(app, deps, "/admin/campaigns/:slug/letters", {
    load: (request: FastifyRequest<{ Params: { slug: string } }>) => consoleCampaignOf(db, request),
    authorise: (request, campaign) => requirePermission(request, "letter.edit", campaign.id),
    values: (body) => ({
      title: typed(body, "title") ?? "",
      slug: typed(body, "slug") ?? "",
      language: typed(body, "language") ?? "en",
    }),
    schema: letterForm,
    command: (data, { loaded: campaign, user, now }) =>
      createLetter(deps, { actor: actorOf(user), draft: newDraft(campaign.id, data) }, now),
    render: ({ request, reply, user, loaded: campaign }, status, form) =>
      sendPage(
        reply,
        CampaignPage({
          ctx: pageContext(request, reply),
          user,
          campaign,
          letters: campaign.letterList,
          form,
        }),
        status,
      ),
    redirect: (letter) => `/admin/letters/${letter.id}`,
  });
};

type NewLetter = z.output<typeof letterForm>;

/** A new letter's first draft: the title in its language, everything else still to write. */
function newDraft(campaignId: number, data: NewLetter) {
  return {
    slug: data.slug,
    campaignId,
    defaultLanguage: data.language,
    letterDate: null,
    publicationDate: null,
    signers: "organisations" as const,
    categories: [],
    requiredFields: [],
    moderation: true,
    allowUndisclosed: true,
    deadline: null,
    publisher: { name: null, url: null, links: [] },
    translations: [
      {
        language: data.language,
        title: data.title,
        subject: "",
        addressees: [],
        salutation: "",
        body: "",
        closing: "",
        publisherAbout: "",
      },
    ],
  };
}
