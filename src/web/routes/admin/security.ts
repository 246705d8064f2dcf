import { z } from "zod";
import { confirmTotp } from "../../../commands/confirm-totp.ts";
import { disableTotp } from "../../../commands/disable-totp.ts";
import { enrolTotp } from "../../../commands/enrol-totp.ts";
import { getTotpState } from "../../../queries/get-totp-state.ts";
import { csrfProblem, optionalText, parseForm, retryAfter } from "../../forms.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireUser } from "../../session.ts";
import { RecoveryCodesPage, SecurityPage, type SecurityPageProps } from "../../views/admin/security-page.tsx";
import type { RouteModule } from "../index.ts";

const confirmForm = z.object({
  code: z.string({ error: "field.code" }).trim().min(1, "field.code").max(16, "field.code"),
});
const disableForm = z.object({ password: optionalText(256), code: optionalText(64) });

/** Two-factor authentication for one's own account: set it up, confirm it, turn it off. */
export const securityRoutes: RouteModule = async (app, deps) => {
  const serverHost = new URL(deps.config.baseUrl).host;

  app.get("/admin/security", async (request, reply) => {
    const user = requireUser(request);
    const welcome = (request.query as { welcome?: unknown }).welcome === "1";
    return sendPage(
      reply,
      SecurityPage({
        ctx: pageContext(request, reply),
        user,
        totp: await getTotpState(deps.store.db, user.id, serverHost),
        notice: welcome ? request.t("setup.done") : undefined,
      }),
    );
  });

  // Nothing is typed into this form, so a failed CSRF check has nothing to keep: the default refusal fits.
  app.post("/admin/security/totp", async (request, reply) => {
    const user = requireUser(request);
    await enrolTotp(deps, { userId: user.id }, deps.now());
    return reply.redirect("/admin/security", 303);
  });

  app.post("/admin/security/totp/confirm", { config: { csrf: "rerender" } }, async (request, reply) => {
    const user = requireUser(request);
    const again = async (status: number, props: Omit<SecurityPageProps, "ctx" | "user" | "totp">) =>
      sendPage(
        reply,
        SecurityPage({
          ctx: pageContext(request, reply),
          user,
          totp: await getTotpState(deps.store.db, user.id, serverHost),
          ...props,
        }),
        status,
      );

    const csrf = csrfProblem(request);
    if (csrf) return again(403, { problem: csrf });
    const form = parseForm(confirmForm, request.body, request.t);
    if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });
    const result = await confirmTotp(deps, { userId: user.id, code: form.data.code }, deps.now());
    switch (result.outcome) {
      case "enabled":
        return sendPage(
          reply,
          RecoveryCodesPage({
            ctx: pageContext(request, reply),
            user: { ...user, totpEnabled: true },
            codes: result.recoveryCodes,
          }),
        );
      case "refused":
        return again(401, { problem: request.t("login.codeFailed") });
      case "rate_limited":
        return again(429, {
          problem: request.t("error.rate_limited", { minutes: retryAfter(reply, result.retryAfterMs) }),
        });
    }
  });

  app.post("/admin/security/totp/disable", { config: { csrf: "rerender" } }, async (request, reply) => {
    const user = requireUser(request);
    const again = async (status: number, problem: string) =>
      sendPage(
        reply,
        SecurityPage({
          ctx: pageContext(request, reply),
          user,
          totp: await getTotpState(deps.store.db, user.id, serverHost),
          problem,
        }),
        status,
      );

    const csrf = csrfProblem(request);
    if (csrf) return again(403, csrf);
    const form = parseForm(disableForm, request.body, request.t);
    if (!form.ok) return again(400, request.t("error.validation"));
    if (!form.data.password && !form.data.code) return again(400, request.t("totp.proofNeeded"));
    const result = await disableTotp(deps, { userId: user.id, ...form.data }, deps.now());
    switch (result.outcome) {
      case "disabled":
        return reply.redirect("/admin/security", 303);
      case "refused":
        return again(401, request.t("totp.disableFailed"));
      case "rate_limited":
        return again(
          429,
          request.t("error.rate_limited", { minutes: retryAfter(reply, result.retryAfterMs) }),
        );
    }
  });
};
