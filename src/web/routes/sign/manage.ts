import type { FastifyReply, FastifyRequest } from "fastify";
import { changeListingCondition } from "../../../commands/change-listing-condition.ts";
import { correctListedName } from "../../../commands/correct-listed-name.ts";
import { withdrawSignature } from "../../../commands/withdraw-signature.ts";
import { AppError } from "../../../domain/app-error.ts";
import { getSignatureReceipt } from "../../../queries/get-signature-receipt.ts";
import type { AppDeps, RouteModule } from "../../app-deps.ts";
import { translateProblems } from "../../forms/field-errors.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { typed } from "../../forms/parse-form.ts";
import { noticeOf } from "../../http/notices.ts";
import { SLUG } from "../../http/slugs.ts";
import { pageContext, sendPage } from "../../render.ts";
import { ManagePage, type ManagePageProps } from "../../views/sign/receipt-page.tsx";

type ManageRequest = { Params: { slug: string; token: string }; Querystring: { done?: string } };

const NOTICES = {
  condition: "threshold.changed",
  undisclosed: "threshold.nowUndisclosed",
  listed: "threshold.listSoon",
  withdrawn: "sign.withdrawn",
  corrected: "sign.corrected",
  pending: "sign.correctionPending",
} as const;

/**
 * `/letters/:slug/manage/:token`: the private link from the receipt. Withdraw, correct a listed name, or set
 * when an undisclosed one is listed (domain/threshold-disclosure.ts).
 * Whoever holds the link can do both, which is why the receipt asks the signer to keep it private.
 */
export const manageRoutes: RouteModule = async (app, deps) => {
  app.get<ManageRequest>("/letters/:slug/manage/:token", async (request, reply) => {
    const notice = noticeOf(request, NOTICES, request.query.done);
    return renderManage(deps, request, reply, 200, { notice });
  });

  // The receipt in the log as a file: the C2SP tlog-proof the page shows, for `undersigned verify` or the
  // verify page. Not cached anywhere: it is reached through the private link.
  app.get<ManageRequest>("/letters/:slug/manage/:token/receipt", async (request, reply) => {
    const receipt = await receiptOfLink(deps, request);
    if (!receipt.log) throw new AppError("not_found");
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="receipt-${receipt.receiptCode}.txt"`)
      .type("text/plain; charset=utf-8")
      .send(receipt.log.proof);
  });

  // Whoever holds the link is the one allowed: the command finds the signature by its token or refuses.
  const byLink = {
    load: (request: FastifyRequest<ManageRequest>) => request.params,
    authorise: () => undefined,
  };

  formRoute(app, deps, "/letters/:slug/manage/:token/withdraw", {
    ...byLink,
    values: () => ({}),
    command: async (_, { request, loaded: { slug, token }, now }) => {
      // Asked once: the manage page's button leads to the question, whose "yes" carries confirm=yes.
      if (typed(request.body, "confirm") !== "yes") return formAgain(200, { confirmWithdraw: true });
      return withdrawSignature(deps, { slug, manageToken: token }, now);
    },
    render: ({ request, reply }, status, { problem, confirmWithdraw }) =>
      renderManage(deps, request, reply, status, { problem, confirmWithdraw }),
    redirect: (_, { loaded: { slug, token } }) => `${manageAction(slug, token)}?done=withdrawn`,
  });

  formRoute(app, deps, "/letters/:slug/manage/:token/condition", {
    ...byLink,
    values: (body) => ({
      visibility: typed(body, "visibility"),
      threshold: typed(body, "threshold"),
      disclose_on: typed(body, "disclose_on"),
    }),
    command: async (values, { request, loaded: { slug, token }, now }) => {
      const choice =
        values.visibility === "undisclosed" || values.visibility === "listed"
          ? ({ choice: values.visibility } as const)
          : ({ choice: "threshold", threshold: values.threshold, disclose_on: values.disclose_on } as const);
      const result = await changeListingCondition(deps, { slug, manageToken: token, ...choice }, now);
      if (result.outcome === "not_changeable")
        return formAgain(409, { problem: request.t("threshold.alreadyListed") });
      return choice;
    },
    render: ({ request, reply }, status, form) => renderManage(deps, request, reply, status, form),
    redirect: (choice, { loaded: { slug, token } }) =>
      `${manageAction(slug, token)}?done=${choice.choice === "threshold" ? "condition" : choice.choice}`,
  });

  formRoute(app, deps, "/letters/:slug/manage/:token/name", {
    ...byLink,
    values: (body) => ({ name: typed(body, "name"), name_alt: typed(body, "name_alt") }),
    command: async (_, { request, loaded: { slug, token }, now }) => {
      const result = await correctListedName(deps, { slug, manageToken: token, form: request.body }, now);
      if (result.outcome !== "invalid") return result;
      return formAgain(400, {
        problem: request.t(
          result.problems.name?.key === "sign.alreadySigned" ? "sign.alreadySigned" : "error.validation",
        ),
        errors: translateProblems(result.problems, request.t),
      });
    },
    render: ({ request, reply }, status, form) => renderManage(deps, request, reply, status, form),
    // An approved (public) endorsement's new name waits for review: the page says so.
    redirect: (result, { loaded: { slug, token } }) =>
      `${manageAction(slug, token)}?done=${result.awaitingReview ? "pending" : "corrected"}`,
  });
};

async function renderManage(
  deps: AppDeps,
  request: FastifyRequest<ManageRequest>,
  reply: FastifyReply,
  status: number,
  extra: Partial<ManagePageProps>,
) {
  const { slug, token } = request.params;
  const receipt = await receiptOfLink(deps, request);
  return sendPage(
    reply,
    ManagePage({ ctx: pageContext(request, reply), receipt, action: manageAction(slug, token), ...extra }),
    status,
  );
}

/** The endorsement's receipt that the private link names; one answer for a wrong slug or token alike. */
async function receiptOfLink(deps: AppDeps, request: FastifyRequest<ManageRequest>) {
  const { slug, token } = request.params;
  const receipt = SLUG.test(slug)
    ? await getSignatureReceipt(deps.store.db, {
        slug,
        manageToken: token,
        language: request.locale,
        now: deps.now(),
      })
    : undefined;
  if (!receipt) throw new AppError("token_invalid");
  return receipt;
}

function manageAction(slug: string, token: string): string {
  return `/letters/${slug}/manage/${encodeURIComponent(token)}`;
}
