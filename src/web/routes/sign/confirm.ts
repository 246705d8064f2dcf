import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { type ConfirmSignatureResult, confirmSignature } from "../../../commands/confirm-signature.ts";
import { resendConfirmation } from "../../../commands/resend-confirmation.ts";
import { AppError } from "../../../domain/app-error.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import { getSignatureReceipt } from "../../../queries/get-signature-receipt.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { emailField, retryAfter, typed } from "../../forms/parse-form.ts";
import { SLUG } from "../../http/slugs.ts";
import { pageContext, sendPage } from "../../render.ts";
import { ConfirmPage, NameTakenPage, ReceiptPage, ResendPage } from "../../views/sign/receipt-page.tsx";

type ConfirmRequest = { Params: { slug: string; token: string } };

const resendForm = z.object({ email: emailField });
type ResendValues = { email: string | undefined };
type ResendAnswer = { sent?: boolean };

/**
 * `/letters/:slug/confirm/:token`: the link from the confirmation mail. Opening it shows what is about to be
 * confirmed and a button; the button confirms (once) and shows the receipt, which the link shows from then
 * on. Opening alone never confirms: mail scanners and link previews fetch links too, and an endorsement
 * must be the person's act. An expired link offers a new one for an address typed again.
 */
export const confirmRoutes: RouteModule = async (app, deps) => {
  /** The outcome of confirming, as a page: the receipt, "expired, ask again" or "name taken". */
  const answer = async (
    request: FastifyRequest<ConfirmRequest>,
    reply: FastifyReply,
    result: ConfirmSignatureResult,
  ) => {
    const { slug, token } = request.params;
    const ctx = pageContext(request, reply);
    if (result.outcome === "expired") {
      return sendPage(reply, ResendPage({ ctx, action: resendAction(slug, token) }), 410);
    }
    if (result.outcome === "name_taken") return sendPage(reply, NameTakenPage({ ctx, slug }), 409);
    const receipt = await receiptOf(request, result.signatureId, result.manageToken);
    const manageUrl = `${deps.config.baseUrl}/letters/${slug}/manage/${result.manageToken}`;
    return sendPage(reply, ReceiptPage({ ctx, receipt, manageUrl }));
  };
  const receiptOf = async (
    request: FastifyRequest<ConfirmRequest>,
    signatureId: number,
    manageToken?: string,
  ) => {
    const receipt = await getSignatureReceipt(deps.store.db, {
      slug: request.params.slug,
      signatureId,
      language: request.locale,
      now: deps.now(),
      ...(manageToken ? { manageToken } : {}),
    });
    if (!receipt) throw new AppError("not_found");
    return receipt;
  };
  /** The receipt of the endorsement this link still waits to confirm; undefined once used or expired. */
  const pendingReceipt = (request: FastifyRequest<ConfirmRequest>, now: Date) =>
    getSignatureReceipt(deps.store.db, {
      slug: request.params.slug,
      pendingConfirmToken: request.params.token,
      language: request.locale,
      now,
    });

  app.get<ConfirmRequest>("/letters/:slug/confirm/:token", async (request, reply) => {
    const { slug, token } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const now = deps.now();
    const receipt = await pendingReceipt(request, now);
    if (receipt) {
      return sendPage(reply, ConfirmPage({ ctx: pageContext(request, reply), receipt, action: request.url }));
    }
    // Already confirmed (the receipt again), expired or unknown: confirming changes nothing here.
    return answer(request, reply, await confirmSignature(deps, { slug, token }, now));
  });

  const byToken = {
    load: (request: FastifyRequest<ConfirmRequest>) => {
      if (!SLUG.test(request.params.slug)) throw new AppError("not_found");
      return request.params;
    },
    // Whoever holds the mailed link is the one allowed: the command finds the signature by its token.
    authorise: () => undefined,
  };

  formRoute(app, deps, "/letters/:slug/confirm/:token", {
    ...byToken,
    values: () => ({}),
    command: async (_, { loaded: { slug, token }, now }) =>
      formAgain(200, { result: await confirmSignature(deps, { slug, token }, now) }),
    render: async ({ request, reply, now }, _status, { result, problem }) => {
      if (result) return answer(request, reply, result);
      // A refused CSRF check shows the confirmation again, while there is still something to confirm.
      const receipt = await pendingReceipt(request, now);
      if (!receipt) throw new AppError("csrf");
      return sendPage(
        reply,
        ConfirmPage({ ctx: pageContext(request, reply), receipt, action: request.url, problem }),
        403,
      );
    },
  });

  formRoute(app, deps, "/letters/:slug/confirm/:token/resend", {
    ...byToken,
    values: (body): ResendValues => ({ email: typed(body, "email") }),
    schema: resendForm,
    command: async ({ email }, { request, reply, loaded: { slug, token }, now }) => {
      const result = await resendConfirmation(
        deps,
        { slug, token, email, locale: request.locale, ip: request.ip },
        now,
      );
      if (result.outcome === "rate_limited") {
        const minutes = retryAfter(reply, result.retryAfterMs);
        return formAgain<ResendValues, ResendAnswer>(429, {
          problem: rateLimitedMessage(request.t, minutes),
        });
      }
      return formAgain<ResendValues, ResendAnswer>(200, { sent: true });
    },
    render: ({ request, reply, loaded: { slug, token } }, status, { values, errors, problem, sent }) =>
      sendPage(
        reply,
        ResendPage({
          ctx: pageContext(request, reply),
          action: resendAction(slug, token),
          email: values.email,
          error: errors?.email,
          problem,
          sent,
        }),
        status,
      ),
  });
};

function resendAction(slug: string, token: string): string {
  return `/letters/${slug}/confirm/${encodeURIComponent(token)}/resend`;
}
