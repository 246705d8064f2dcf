import { z } from "zod";
import { requestPasswordReset } from "../../../commands/request-password-reset.ts";
import { resetPassword } from "../../../commands/reset-password.ts";
import { AppError } from "../../../domain/app-error.ts";
import { findUsableToken } from "../../../store/one-time-tokens.ts";
import type { RouteModule } from "../../app-deps.ts";
import { csrfProblem, emailField, parseForm, typed, withRepeatedPassword } from "../../forms/parse-form.ts";
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

  app.post("/admin/password/forgot", { config: { csrf: "rerender" } }, async (request, reply) => {
    const values = { email: typed(request.body, "email") };
    const csrf = csrfProblem(request);
    if (csrf)
      return sendPage(
        reply,
        ForgotPasswordPage({ ctx: pageContext(request, reply), values, problem: csrf }),
        403,
      );
    const form = parseForm(forgotForm, request.body, request.t);
    if (!form.ok) {
      return sendPage(
        reply,
        ForgotPasswordPage({
          ctx: pageContext(request, reply),
          values,
          errors: form.errors,
          problem: request.t("error.validation"),
        }),
        400,
      );
    }
    await requestPasswordReset(deps, { email: form.data.email, ip: request.ip }, deps.now());
    // The same answer whether or not the address has an account, and whether or not it was rate-limited.
    return sendPage(reply, ForgotPasswordPage({ ctx: pageContext(request, reply), sent: true }));
  });

  app.get<{ Params: Params }>("/admin/password/reset/:token", async (request, reply) => {
    const usable = await findUsableToken(deps.store.db, "password_reset", request.params.token, deps.now());
    if (!usable) throw new AppError("token_invalid");
    return sendPage(
      reply,
      ResetPasswordPage({ ctx: pageContext(request, reply), token: request.params.token }),
    );
  });

  app.post<{ Params: Params }>(
    "/admin/password/reset/:token",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { token } = request.params;
      const csrf = csrfProblem(request);
      if (csrf)
        return sendPage(
          reply,
          ResetPasswordPage({ ctx: pageContext(request, reply), token, problem: csrf }),
          403,
        );
      const form = parseForm(resetForm, request.body, request.t);
      if (!form.ok) {
        return sendPage(
          reply,
          ResetPasswordPage({
            ctx: pageContext(request, reply),
            token,
            errors: form.errors,
            problem: request.t("error.validation"),
          }),
          400,
        );
      }
      await resetPassword(deps, { token, password: form.data.password }, deps.now());
      // Every session of the account has just ended, this browser's included.
      clearSessionCookie(reply, deps.config.secureCookies);
      return reply.redirect("/admin/login?notice=reset", 303);
    },
  );
};
