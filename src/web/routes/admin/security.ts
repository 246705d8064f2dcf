import { z } from "zod";
import { confirmTotp } from "../../../commands/confirm-totp.ts";
import { disableTotp } from "../../../commands/disable-totp.ts";
import { enrolTotp } from "../../../commands/enrol-totp.ts";
import { verifySecondFactor } from "../../../commands/verify-second-factor.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import { getTotpState } from "../../../queries/get-totp-state.ts";
import type { RouteModule } from "../../app-deps.ts";
import { csrfProblem, optionalText, parseForm, retryAfter, typed } from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireUser, safeNext } from "../../session.ts";
import { RecoveryCodesPage, SecurityPage, type SecurityPageProps } from "../../views/admin/security-page.tsx";

const confirmForm = z.object({
  code: z.string({ error: "field.code" }).trim().min(1, "field.code").max(16, "field.code"),
});
const disableForm = z.object({ password: optionalText(256), code: optionalText(64) });

/** Two-factor authentication for one's own account: set it up, confirm it, turn it off. */
export const securityRoutes: RouteModule = async (app, deps) => {
  const serverHost = new URL(deps.config.baseUrl).host;

  app.get("/admin/security", async (request, reply) => {
    const user = requireUser(request);
    const query = request.query as { welcome?: unknown; required?: unknown; next?: unknown };
    const totp = await getTotpState(deps.store.db, user.id, serverHost);
    const notice =
      query.welcome === "1"
        ? request.t("setup.done")
        : query.required === "1"
          ? request.t(totp.kind === "on" ? "totp.requiredGiveCode" : "totp.requiredSetUp")
          : undefined;
    return sendPage(
      reply,
      SecurityPage({ ctx: pageContext(request, reply), user, totp, notice, next: safeNext(query.next) }),
    );
  });

  // A session that never gave a code (signed in before TOTP was on) gives one to open a campaign requiring it.
  app.post("/admin/security/verify", { config: { csrf: "rerender" } }, async (request, reply) => {
    const user = requireUser(request);
    const next = safeNext(typed(request.body, "next"));
    const again = async (status: number, stepUpError: string) =>
      sendPage(
        reply,
        SecurityPage({
          ctx: pageContext(request, reply),
          user,
          totp: await getTotpState(deps.store.db, user.id, serverHost),
          next,
          stepUpError,
        }),
        status,
      );
    const csrf = csrfProblem(request);
    if (csrf) return again(403, csrf);
    const form = parseForm(confirmForm, request.body, request.t);
    if (!form.ok) return again(400, form.errors.code ?? request.t("error.validation"));
    const result = await verifySecondFactor(
      deps,
      { sessionId: user.sessionId, code: form.data.code, stepUp: true },
      deps.now(),
    );
    switch (result.outcome) {
      case "verified":
      case "no_pending_session":
        return reply.redirect(next ?? "/admin", 303);
      case "refused":
        return again(401, request.t("login.codeFailed"));
      case "rate_limited":
        return again(429, rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)));
    }
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
    const result = await confirmTotp(
      deps,
      { userId: user.id, code: form.data.code, sessionId: user.sessionId },
      deps.now(),
    );
    switch (result.outcome) {
      case "enabled":
        return sendPage(
          reply,
          RecoveryCodesPage({
            ctx: pageContext(request, reply),
            user: { ...user, totpEnabled: true, secondFactorProven: true },
            codes: result.recoveryCodes,
          }),
        );
      case "refused":
        return again(401, { problem: request.t("login.codeFailed") });
      case "rate_limited":
        return again(429, {
          problem: rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)),
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
        return again(429, rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)));
    }
  });
};
