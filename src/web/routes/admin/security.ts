import type { RouteGenericInterface } from "fastify";
import { z } from "zod";
import { confirmTotp } from "../../../commands/confirm-totp.ts";
import { disableTotp } from "../../../commands/disable-totp.ts";
import { enrolTotp } from "../../../commands/enrol-totp.ts";
import { verifySecondFactor } from "../../../commands/verify-second-factor.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import { getTotpState } from "../../../queries/get-totp-state.ts";
import type { RouteModule } from "../../app-deps.ts";
import { type FormScope, formAgain, formRoute, nothingToLoad } from "../../forms/form-route.ts";
import { optionalText, retryAfter, typed } from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireUser, type SessionUser, safeNext } from "../../session.ts";
import { RecoveryCodesPage, SecurityPage, type SecurityPageProps } from "../../views/admin/security-page.tsx";

const confirmForm = z.object({
  code: z.string({ error: "field.code" }).trim().min(1, "field.code").max(16, "field.code"),
});
const disableForm = z.object({ password: optionalText(256), code: optionalText(64) });

type SecurityScope = FormScope<RouteGenericInterface, undefined, SessionUser, unknown>;
type SecurityPageExtras = Omit<SecurityPageProps, "ctx" | "user" | "totp">;

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

  /** The security page again, with what went wrong; nothing typed here is ever shown again (codes, passwords). */
  const securityPage = (scope: SecurityScope, status: number, props: SecurityPageExtras) =>
    getTotpState(deps.store.db, scope.user.id, serverHost).then((totp) =>
      sendPage(
        scope.reply,
        SecurityPage({ ctx: pageContext(scope.request, scope.reply), user: scope.user, totp, ...props }),
        status,
      ),
    );

  // A session that never gave a code (signed in before TOTP was on) gives one to open a campaign requiring it.
  formRoute(app, deps, "/admin/security/verify", {
    load: nothingToLoad,
    authorise: (request) => requireUser(request),
    values: (body) => ({ next: safeNext(typed(body, "next")) }),
    schema: confirmForm,
    command: async ({ code }, { request, reply, user, now }) => {
      const result = await verifySecondFactor(deps, { sessionId: user.sessionId, code, stepUp: true }, now);
      switch (result.outcome) {
        case "verified":
        case "no_pending_session":
          return result;
        case "refused":
          return formAgain(401, { problem: request.t("login.codeFailed") });
        case "rate_limited":
          return formAgain(429, {
            problem: rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)),
          });
      }
    },
    render: (scope, status, { values, errors, problem }) =>
      securityPage(scope, status, { next: values.next, stepUpError: errors?.code ?? problem }),
    redirect: (_, { values }) => values.next ?? "/admin",
  });

  // Nothing is typed into this form, so a failed CSRF check has nothing to keep: the default refusal fits.
  app.post("/admin/security/totp", async (request, reply) => {
    const user = requireUser(request);
    await enrolTotp(deps, { userId: user.id }, deps.now());
    return reply.redirect("/admin/security", 303);
  });

  formRoute(app, deps, "/admin/security/totp/confirm", {
    load: nothingToLoad,
    authorise: (request) => requireUser(request),
    values: () => ({}),
    schema: confirmForm,
    command: async ({ code }, { request, reply, user, now }) => {
      const result = await confirmTotp(deps, { userId: user.id, code, sessionId: user.sessionId }, now);
      switch (result.outcome) {
        case "enabled":
          // The recovery codes are shown once, on this answer, never behind a redirect.
          return formAgain(200, { recoveryCodes: result.recoveryCodes });
        case "refused":
          return formAgain(401, { problem: request.t("login.codeFailed") });
        case "rate_limited":
          return formAgain(429, {
            problem: rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)),
          });
      }
    },
    render: (scope, status, { errors, problem, recoveryCodes }) =>
      recoveryCodes
        ? sendPage(
            scope.reply,
            RecoveryCodesPage({
              ctx: pageContext(scope.request, scope.reply),
              user: { ...scope.user, totpEnabled: true, secondFactorProven: true },
              codes: recoveryCodes,
            }),
          )
        : securityPage(scope, status, { errors, problem }),
    redirect: () => "/admin/security",
  });

  formRoute(app, deps, "/admin/security/totp/disable", {
    load: nothingToLoad,
    authorise: (request) => requireUser(request),
    values: () => ({}),
    schema: disableForm,
    command: async (form, { request, reply, user, now }) => {
      if (!form.password && !form.code) return formAgain(400, { problem: request.t("totp.proofNeeded") });
      const result = await disableTotp(deps, { userId: user.id, ...form }, now);
      switch (result.outcome) {
        case "disabled":
          return result;
        case "refused":
          return formAgain(401, { problem: request.t("totp.disableFailed") });
        case "rate_limited":
          return formAgain(429, {
            problem: rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)),
          });
      }
    },
    // Either proof may be the one that failed, so the refusal is said once, above the form.
    render: (scope, status, { problem }) => securityPage(scope, status, { problem }),
    redirect: () => "/admin/security",
  });
};
