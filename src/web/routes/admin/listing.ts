import type { FastifyReply, FastifyRequest } from "fastify";
import {
  type EndorsementToList,
  type ListingOutcome,
  listThresholdEndorsements,
  MAX_LISTING_BATCH,
} from "../../../commands/list-threshold-endorsements.ts";
import { AppError } from "../../../domain/app-error.ts";
import { getListingConsole } from "../../../queries/list-threshold-endorsements.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { actorOf } from "../../http/actor.ts";
import { ID, idOf } from "../../http/ids.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireLetterPermission, requireUser } from "../../session.ts";
import { ListingPage } from "../../views/admin/listing-page.tsx";

type Params = { id: string };
type Summary = Record<ListingOutcome, number>;

/**
 * `/admin/letters/:id/listing`: the letter's threshold endorsements (domain/threshold-disclosure.ts), and
 * "List these names": the ticked endorsements' public fields, opened in the coordinator's browser, go to the
 * listing command, which checks each condition again and holds duplicates and look-alikes.
 */
export const listingRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function showListing(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: { notice?: string | undefined; problem?: string | undefined },
    status = 200,
  ) {
    const user = await requireLetterPermission(request, deps, "signature.review", idOf(request.params.id));
    const listing = await getListingConsole(db, idOf(request.params.id), deps.now());
    if (!listing) throw new AppError("not_found");
    reply.header("content-security-policy", WASM_PAGE_CSP);
    return sendPage(
      reply,
      ListingPage({ ctx: pageContext(request, reply), user, listing, ...extra }),
      status,
    );
  }

  app.get<{ Params: Params; Querystring: Record<string, string> }>(
    "/admin/letters/:id/listing",
    async (request, reply) => {
      const { listed, held, waiting } = request.query;
      const notice =
        listed === undefined
          ? undefined
          : [
              request.t("threshold.listedCount", { count: Number(listed) || 0 }),
              Number(held) > 0 ? request.t("threshold.heldCount", { count: Number(held) }) : "",
              Number(waiting) > 0 ? request.t("threshold.notMet", { count: Number(waiting) }) : "",
            ]
              .filter(Boolean)
              .join(" ");
      return showListing(request, reply, { notice });
    },
  );

  formRoute(app, deps, "/admin/letters/:id/listing", {
    load: (request: FastifyRequest<{ Params: Params }>) => {
      requireUser(request);
      return idOf(request.params.id);
    },
    authorise: (request, letterId) => requireLetterPermission(request, deps, "signature.review", letterId),
    values: () => ({}),
    command: async (_, { request, user, loaded: letterId, now }) => {
      const endorsements = chosenEndorsements(request.body);
      if (endorsements.length === 0) return formAgain(400, { problem: request.t("review.noneSelected") });
      const { results } = await listThresholdEndorsements(
        deps,
        { actor: actorOf(user), letterId, endorsements },
        now,
      );
      const summary: Summary = { listed: 0, held: 0, not_met: 0, not_waiting: 0, invalid: 0 };
      for (const r of results) summary[r.outcome]++;
      return summary;
    },
    render: ({ request, reply }, status, { problem }) => showListing(request, reply, { problem }, status),
    redirect: (summary, { loaded: letterId }) =>
      `/admin/letters/${letterId}/listing?listed=${summary.listed}&held=${summary.held}&waiting=${summary.not_met + summary.not_waiting + summary.invalid}`,
  });
};

/**
 * The ticked ids and, for each, the public fields the page's script added (`name_<id>` …). A ticked one
 * whose fields are missing (the key was not opened) goes with an empty name, which the command refuses.
 */
function chosenEndorsements(body: unknown): EndorsementToList[] {
  const form = (body ?? {}) as Record<string, unknown>;
  const ids = ([] as unknown[])
    .concat(form.id ?? [])
    .filter((v): v is string => typeof v === "string" && ID.test(v));
  const field = (name: string, id: string) => {
    const value = form[`${name}_${id}`];
    return typeof value === "string" ? value : undefined;
  };
  return [...new Set(ids)].slice(0, MAX_LISTING_BATCH).map((id) => ({
    signatureId: Number(id),
    name: field("name", id) ?? "",
    name_alt: field("name_alt", id),
    category: field("category", id),
    country: field("country", id),
    website: field("website", id),
  }));
}
