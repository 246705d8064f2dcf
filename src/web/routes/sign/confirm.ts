import { z } from "zod";
import { confirmSignature } from "../../../commands/confirm-signature.ts";
import { resendConfirmation } from "../../../commands/resend-confirmation.ts";
import { AppError } from "../../../domain/app-error.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import { getSignatureReceipt } from "../../../queries/get-signature-receipt.ts";
import { emailField, parseForm, retryAfter, typed } from "../../forms.ts";
import { pageContext, sendPage } from "../../render.ts";
import { NameTakenPage, ReceiptPage, ResendPage } from "../../views/sign/receipt-page.tsx";
import type { RouteModule } from "../index.ts";
import { SLUG } from "../public/public-page.ts";

type ConfirmRequest = { Params: { slug: string; token: string } };

const resendForm = z.object({ email: emailField });

/**
 * `/letters/:slug/confirm/:token`: the link from the confirmation mail. Opening it confirms (once) and
 * shows the receipt (every time); an expired link offers a new one for an address typed again.
 */
export const confirmRoutes: RouteModule = async (app, deps) => {
  app.get<ConfirmRequest>("/letters/:slug/confirm/:token", async (request, reply) => {
    const { slug, token } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const result = await confirmSignature(deps, { slug, token }, deps.now());
    const ctx = pageContext(request, reply);
    if (result.outcome === "expired") {
      return sendPage(reply, ResendPage({ ctx, action: resendAction(slug, token) }), 410);
    }
    if (result.outcome === "name_taken") return sendPage(reply, NameTakenPage({ ctx, slug }), 409);
    const receipt = await getSignatureReceipt(deps.store.db, {
      slug,
      signatureId: result.signatureId,
      language: request.locale,
    });
    if (!receipt) throw new AppError("not_found");
    const manageUrl = `${deps.config.baseUrl}/letters/${slug}/manage/${result.manageToken}`;
    return sendPage(reply, ReceiptPage({ ctx, receipt, manageUrl }));
  });

  app.post<ConfirmRequest>(
    "/letters/:slug/confirm/:token/resend",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { slug, token } = request.params;
      if (!SLUG.test(slug)) throw new AppError("not_found");
      const email = typed(request.body, "email");
      const action = resendAction(slug, token);
      const page = (status: number, extra: { error?: string; problem?: string; sent?: boolean }) =>
        sendPage(reply, ResendPage({ ctx: pageContext(request, reply), action, email, ...extra }), status);
      if (!request.csrfValid) return page(403, { problem: request.t("error.csrf") });
      const form = parseForm(resendForm, request.body, request.t);
      if (!form.ok) return page(400, { error: form.errors.email, problem: request.t("error.validation") });
      const result = await resendConfirmation(
        deps,
        { slug, token, email: form.data.email, locale: request.locale, ip: request.ip },
        deps.now(),
      );
      if (result.outcome === "rate_limited") {
        const minutes = retryAfter(reply, result.retryAfterMs);
        return page(429, { problem: rateLimitedMessage(request.t, minutes) });
      }
      return page(200, { sent: true });
    },
  );
};

function resendAction(slug: string, token: string): string {
  return `/letters/${slug}/confirm/${encodeURIComponent(token)}/resend`;
}
