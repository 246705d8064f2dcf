import { z } from "zod";
import { logIn } from "../../../commands/log-in.ts";
import { logOut } from "../../../commands/log-out.ts";
import { verifySecondFactor } from "../../../commands/verify-second-factor.ts";
import { PASSWORD_MAX_LENGTH } from "../../../crypto/passwords.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute, nothingToLoad } from "../../forms/form-route.ts";
import { emailField, retryAfter, typed } from "../../forms/parse-form.ts";
import { noticeOf } from "../../http/notices.ts";
import { pageContext, sendPage } from "../../render.ts";
import {
  clearSessionCookie,
  currentSession,
  safeNext,
  sessionIdOfRequest,
  setSessionCookie,
} from "../../session.ts";
import { LoginPage, SecondFactorPage } from "../../views/admin/login-pages.tsx";

const loginForm = z.object({
  email: emailField,
  password: z
    .string({ error: "field.required" })
    .min(1, "field.required")
    .max(PASSWORD_MAX_LENGTH, "field.tooLong"),
});

const codeForm = z.object({
  code: z.string({ error: "field.code" }).trim().min(1, "field.code").max(64, "field.code"),
});

/** Messages the sign-in page shows after being sent there from elsewhere. */
const NOTICES = {
  signed_out: "login.signedOut",
  reset: "reset.done",
  expired: "login.startAgain",
} as const;

function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

/** Sign-in (password, then the second factor when the account has one) and sign-out. */
export const loginRoutes: RouteModule = async (app, deps) => {
  app.get("/admin/login", async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown }).next);
    if (request.user) return reply.redirect(next ?? "/admin", 303);
    const notice = noticeOf(request, NOTICES, (request.query as { notice?: unknown }).notice);
    return sendPage(reply, LoginPage({ ctx: pageContext(request, reply), next, notice }));
  });

  formRoute(app, deps, "/admin/login", {
    load: nothingToLoad,
    authorise: () => undefined,
    // The password is never shown again; the schema reads it from the body.
    values: (body) => ({ email: typed(body, "email"), next: safeNext(typed(body, "next")) }),
    schema: loginForm,
    command: async (form, { request, reply, now }) => {
      const result = await logIn(deps, { email: form.email, password: form.password, ip: request.ip }, now);
      if (result.outcome === "rate_limited") {
        return formAgain(429, {
          problem: rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)),
        });
      }
      if (result.outcome === "refused") return formAgain(401, { problem: request.t("login.failed") });
      setSessionCookie(reply, result.sessionToken, deps.config.secureCookies);
      return result;
    },
    render: ({ request, reply }, status, { values, ...form }) =>
      sendPage(
        reply,
        LoginPage({ ctx: pageContext(request, reply), next: values.next, values, ...form }),
        status,
      ),
    redirect: (result, { values: { next } }) =>
      result.secondFactorRequired ? withNext("/admin/login/code", next) : (next ?? "/admin"),
  });

  app.get("/admin/login/code", async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown }).next);
    const session = await currentSession(request, deps);
    if (!session) return reply.redirect("/admin/login?notice=expired", 303);
    if (session.secondFactorAt !== null) return reply.redirect(next ?? "/admin", 303);
    return sendPage(reply, SecondFactorPage({ ctx: pageContext(request, reply), next }));
  });

  formRoute(app, deps, "/admin/login/code", {
    load: nothingToLoad,
    authorise: () => undefined,
    values: (body) => ({ next: safeNext(typed(body, "next")) }),
    schema: codeForm,
    command: async ({ code }, { request, reply, now }) => {
      const sessionId = sessionIdOfRequest(request);
      if (!sessionId) return { outcome: "no_pending_session" as const };
      const result = await verifySecondFactor(deps, { sessionId, code }, now);
      switch (result.outcome) {
        case "refused":
          return formAgain(401, { problem: request.t("login.codeFailed") });
        case "rate_limited":
          return formAgain(429, {
            problem: rateLimitedMessage(request.t, retryAfter(reply, result.retryAfterMs)),
          });
        case "no_pending_session":
          clearSessionCookie(reply, deps.config.secureCookies);
          return result;
        case "verified":
          return result;
      }
    },
    render: ({ request, reply }, status, { values, errors, problem }) =>
      sendPage(
        reply,
        SecondFactorPage({ ctx: pageContext(request, reply), next: values.next, problem, errors }),
        status,
      ),
    redirect: (result, { values: { next } }) =>
      result.outcome === "verified" ? (next ?? "/admin") : "/admin/login?notice=expired",
  });

  // Outside the signed-in guard: a session still waiting for its code can be abandoned too.
  app.post("/admin/logout", async (request, reply) => {
    const sessionId = sessionIdOfRequest(request);
    if (sessionId) await logOut(deps, { sessionId }, deps.now());
    clearSessionCookie(reply, deps.config.secureCookies);
    return reply.redirect("/admin/login?notice=signed_out", 303);
  });
};
