import type { FastifyReply, FastifyRequest } from "fastify";
import { correctListedName } from "../../../commands/correct-listed-name.ts";
import { withdrawSignature } from "../../../commands/withdraw-signature.ts";
import { AppError } from "../../../domain/app-error.ts";
import { getSignatureReceipt } from "../../../queries/get-signature-receipt.ts";
import type { AppDeps, RouteModule } from "../../app-deps.ts";
import { translateProblems } from "../../forms/field-errors.ts";
import { typed } from "../../forms/parse-form.ts";
import { SLUG } from "../../http/slugs.ts";
import { pageContext, sendPage } from "../../render.ts";
import { ManagePage, type ManagePageProps } from "../../views/sign/receipt-page.tsx";

type ManageRequest = { Params: { slug: string; token: string }; Querystring: { done?: string } };

const NOTICES = { withdrawn: "sign.withdrawn", corrected: "sign.corrected" } as const;

/**
 * `/letters/:slug/manage/:token`: the private link from the receipt. Withdraw, or correct a listed name.
 * Whoever holds the link can do both, which is why the receipt asks the signer to keep it private.
 */
export const manageRoutes: RouteModule = async (app, deps) => {
  app.get<ManageRequest>("/letters/:slug/manage/:token", async (request, reply) => {
    const done = request.query.done;
    const notice = done === "withdrawn" || done === "corrected" ? request.t(NOTICES[done]) : undefined;
    return renderManage(deps, request, reply, 200, { notice });
  });

  app.post<ManageRequest>(
    "/letters/:slug/manage/:token/withdraw",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { slug, token } = request.params;
      if (!request.csrfValid)
        return renderManage(deps, request, reply, 403, { problem: request.t("error.csrf") });
      await withdrawSignature(deps, { slug, manageToken: token }, deps.now());
      return reply.redirect(`${manageAction(slug, token)}?done=withdrawn`, 303);
    },
  );

  app.post<ManageRequest>(
    "/letters/:slug/manage/:token/name",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { slug, token } = request.params;
      const values = { name: typed(request.body, "name"), name_alt: typed(request.body, "name_alt") };
      if (!request.csrfValid) {
        return renderManage(deps, request, reply, 403, { problem: request.t("error.csrf"), values });
      }
      const result = await correctListedName(
        deps,
        { slug, manageToken: token, form: request.body },
        deps.now(),
      );
      if (result.outcome === "invalid") {
        return renderManage(deps, request, reply, 400, {
          problem: request.t(
            result.problems.name?.key === "sign.alreadySigned" ? "sign.alreadySigned" : "error.validation",
          ),
          errors: translateProblems(result.problems, request.t),
          values,
        });
      }
      return reply.redirect(`${manageAction(slug, token)}?done=corrected`, 303);
    },
  );
};

async function renderManage(
  deps: AppDeps,
  request: FastifyRequest<ManageRequest>,
  reply: FastifyReply,
  status: number,
  extra: Partial<ManagePageProps>,
) {
  const { slug, token } = request.params;
  const receipt = SLUG.test(slug)
    ? await getSignatureReceipt(deps.store.db, { slug, manageToken: token, language: request.locale })
    : undefined;
  if (!receipt) throw new AppError("token_invalid");
  return sendPage(
    reply,
    ManagePage({ ctx: pageContext(request, reply), receipt, action: manageAction(slug, token), ...extra }),
    status,
  );
}

function manageAction(slug: string, token: string): string {
  return `/letters/${slug}/manage/${encodeURIComponent(token)}`;
}
