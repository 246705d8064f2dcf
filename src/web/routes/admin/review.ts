import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { reviewNameChange } from "../../../commands/review-name-change.ts";
import { MAX_REVIEW_BATCH, reviewSignatures } from "../../../commands/review-signatures.ts";
import { AppError } from "../../../domain/app-error.ts";
import { canSomewhere } from "../../../policies/policy.ts";
import { listReviewQueue, type ReviewFilters } from "../../../queries/list-review-queue.ts";
import type { RouteModule } from "../../app-deps.ts";
import { actorOf } from "../../http/actor.ts";
import { ID, idOf } from "../../http/ids.ts";
import { noticeOf } from "../../http/notices.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireLetterPermission, requireUser } from "../../session.ts";
import { ReviewQueuePage } from "../../views/admin/review-queue-page.tsx";

const require = createRequire(import.meta.url);

/*
 * The sumo build of libsodium (it has crypto_pwhash, which opens the passphrase-protected key file) for the
 * review page only: an allow-list of two files served from our origin, never a directory. It weighs about
 * a megabyte, which is why no other page loads it.
 */
const SUMO_FILES = {
  "/admin/assets/libsodium-sumo.js": require.resolve("libsodium-sumo"),
  "/admin/assets/libsodium-wrappers-sumo.js": require.resolve("libsodium-wrappers-sumo"),
};

const optionalChoice = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values).optional().catch(undefined);
const optionalText = z.string().trim().max(200).optional().catch(undefined);

const nameChangeSchema = z.object({
  id: z.string().regex(ID),
  decision: z.enum(["accept", "decline"]),
});

const NAME_CHANGE_NOTICES = {
  name_accepted: "review.nameAccepted",
  name_declined: "review.nameDeclined",
  name_none: "review.nameNone",
} as const;

/** Unknown or malformed filter values are ignored, not errors: a stale bookmark still opens the queue. */
const filtersSchema = z.object({
  kind: optionalChoice(["organisation", "individual"]),
  visibility: optionalChoice(["listed", "undisclosed"]),
  category: optionalText.transform((v) => v || undefined),
  country: optionalText.transform((v) => v || undefined),
  source: optionalChoice(["form", "import", "coordinator", "example"]),
});

// Checkboxes named "id" (and the hidden "shown" ids): one value arrives as a string, several as an array.
const ids = z
  .union([z.string(), z.array(z.string())], { error: "review.noneSelected" })
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(ID)).min(1, "review.noneSelected").max(MAX_REVIEW_BATCH));
const reason = z.string().max(500, "field.tooLong").optional();

/** The ticked rows approved or rejected, or every row the page showed approved ("Approve all shown"). */
const decisionSchema = z
  .discriminatedUnion("action", [
    z.object({ action: z.enum(["approve", "reject"]), id: ids, reason }),
    z.object({ action: z.literal("approveShown"), shown: ids, reason }),
  ])
  .transform((form) =>
    form.action === "approveShown"
      ? { action: "approve" as const, ids: form.shown, reason: form.reason }
      : { action: form.action, ids: form.id, reason: form.reason },
  );

type Params = { id: string };

/** The review queue of one letter: list, filter, bulk approve / reject. */
export const reviewRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  for (const [url, file] of Object.entries(SUMO_FILES)) {
    const content = readFileSync(file);
    app.get(url, async (request, reply) => {
      if (!canSomewhere(requireUser(request), "signature.review")) throw new AppError("forbidden");
      return reply
        .type("text/javascript; charset=utf-8")
        .header("cache-control", "private, max-age=86400")
        .send(content);
    });
  }

  async function showQueue(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: { notice?: string | undefined; problem?: string | undefined },
    status = 200,
  ) {
    const user = await requireLetterPermission(request, deps, "signature.review", idOf(request.params.id));
    const filters: ReviewFilters = filtersSchema.parse(request.query ?? {});
    const queue = await listReviewQueue(db, idOf(request.params.id), filters);
    if (!queue) throw new AppError("not_found");
    reply.header("content-security-policy", WASM_PAGE_CSP);
    return sendPage(
      reply,
      ReviewQueuePage({ ctx: pageContext(request, reply), user, queue, filters, ...extra }),
      status,
    );
  }

  app.get<{ Params: Params; Querystring: Record<string, string> }>(
    "/admin/letters/:id/review",
    async (request, reply) => {
      const { done, changed, skipped } = request.query;
      const notice =
        done === "approve" || done === "reject"
          ? request.t(done === "approve" ? "review.approved" : "review.rejected", {
              changed: Number(changed) || 0,
              skipped: Number(skipped) || 0,
            })
          : noticeOf(request, NAME_CHANGE_NOTICES, done);
      return showQueue(request, reply, { notice });
    },
  );

  app.post<{ Params: Params }>("/admin/letters/:id/review", async (request, reply) => {
    const letterId = idOf(request.params.id);
    const user = await requireLetterPermission(request, deps, "signature.review", letterId);
    const parsed = decisionSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues.some((i) => i.message === "field.tooLong")
        ? request.t("field.tooLong", { max: 500 })
        : request.t("review.noneSelected");
      return showQueue(request, reply, { problem: message }, 400);
    }
    const outcome = await reviewSignatures(
      deps,
      {
        actor: actorOf(user),
        letterId,
        signatureIds: parsed.data.ids.map(Number),
        decision: parsed.data.action,
        reason: parsed.data.reason,
      },
      deps.now(),
    );
    // Back to the same filtered queue, so a reviewer working through one country keeps their place.
    const back = new URLSearchParams(
      Object.entries(filtersSchema.parse(request.query ?? {})).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    );
    back.set("done", parsed.data.action);
    back.set("changed", String(outcome.changed));
    back.set("skipped", String(outcome.skipped));
    return reply.redirect(`/admin/letters/${letterId}/review?${back}`, 303);
  });

  app.post<{ Params: Params }>("/admin/letters/:id/review/name-change", async (request, reply) => {
    const letterId = idOf(request.params.id);
    const user = await requireLetterPermission(request, deps, "signature.review", letterId);
    const parsed = nameChangeSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError("validation");
    const result = await reviewNameChange(
      deps,
      { actor: actorOf(user), letterId, signatureId: Number(parsed.data.id), decision: parsed.data.decision },
      deps.now(),
    );
    if (result.outcome === "name_taken")
      return showQueue(request, reply, { problem: request.t("review.nameTaken") }, 409);
    return reply.redirect(`/admin/letters/${letterId}/review?done=name_${result.outcome}`, 303);
  });
};
