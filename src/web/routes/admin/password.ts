import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requestPasswordReset } from "../../../commands/request-password-reset.ts";
import { resetPassword } from "../../../commands/reset-password.ts";
import { AppError } from "../../../domain/app-error.ts";
import { findUsableToken } from "../../../store/one-time-tokens.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute, nothingToLoad } from "../../forms/form-route.ts";
import { emailField, typed, withRepeatedPassword } from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { clearSessionCookie } from "../../session.ts";
import { ForgotPasswordPage, ResetPasswordPage } from "../../views/admin/password-pages.tsx";

const forgotForm = z.object({ email: emailField });
const resetForm = withRepeatedPassword({});

type Params = { token: string };

/** "Forgot your password?": a reset link by mail, then a new password. */
export const passwordRoutes: RouteModule = async (app, deps) => {
  app.get("/admin/password/forgot", async (request, reply) =>
    sendPage(reply, ForgotPasswordPage({ ctx: pageContext(request, reply) })),
  );

  formRoute(app, deps, "/admin/password/forgot", {
    load: nothingToLoad,
    authorise: () => undefined,
    values: (body) => ({ email: typed(body, "email") }),
    schema: forgotForm,
    command: async ({ email }, { request, now }) => {
      await requestPasswordReset(deps, { email, ip: request.ip }, now);
      // The same answer whether or not the address has an account, and whether or not it was rate-limited.
      return formAgain(200, { values: {}, sent: true });
    },
    render: ({ request, reply }, status, form) =>
      sendPage(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), ...form }), status),
    redirect: () => "/admin/password/forgot",
  });

  app.get<{ Params: Params }>("/admin/password/reset/:token", async (request, reply) => {
    const usable = await findUsableToken(deps.store.db, "password_reset", request.params.token, deps.now());
    if (!usable) throw new AppError("token_invalid");
    return sendPage(
      reply,
      ResetPasswordPage({ ctx: pageContext(request, reply), token: request.params.token }),
    );
  });

  formRoute(app, deps, "/admin/password/reset/:token", {
    load: (request: FastifyRequest<{ Params: Params }>) => request.params.token,
    authorise: () => undefined,
    // Nothing typed is shown again: both fields are the new password.
    values: () => ({}),
    schema: resetForm,
    command: async ({ password }, { request, reply, loaded: token, now }) => {
      await resetPassword(deps, { token, password, ip: request.ip }, now);
      // Every session of the account has just ended, this browser's included.
      clearSessionCookie(reply, deps.config.secureCookies);
    },
    render: ({ request, reply, loaded: token }, status, { errors, problem }) =>
      sendPage(
        reply,
        ResetPasswordPage({ ctx: pageContext(request, reply), token, errors, problem }),
        status,
      ),
    redirect: () => "/admin/login?notice=reset",
  });
};
