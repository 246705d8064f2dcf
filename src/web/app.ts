import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
  type preHandlerHookHandler,
} from "fastify";
import { APP_ERRORS, AppError } from "../domain/app-error.ts";
import {
  isLocale,
  LOCALES,
  type Locale,
  rateLimitedMessage,
  type Translate,
  translator,
} from "../i18n/index.ts";
import { LetterPdfs } from "../pdf/letter-pdf.ts";
import { isUnstorableText } from "../store/unstorable-text.ts";
import type { AppDeps } from "./app-deps.ts";
import { isCsrfValid, issueCsrfToken } from "./csrf.ts";
import { cookieName } from "./http/cookie-names.ts";
import { registerFormBodyParser } from "./http/form-body.ts";
import { AppMetrics } from "./http/metrics.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { serveStaticAssets } from "./http/static-assets.ts";
import { preferredLocale } from "./http-negotiation.ts";
import { printResources } from "./letter-print.ts";
import { pageContext, sendPage } from "./render.ts";
import { routes } from "./routes/index.ts";
import type { SessionUser } from "./session.ts";
import { ErrorPage } from "./views/error-page.tsx";

declare module "fastify" {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    /** Result of the CSRF check on state-changing requests (see csrf.ts). */
    csrfValid: boolean;
    user: SessionUser | undefined;
    csrfToken(reply: FastifyReply): string;
    /** BASE_URL is https: cookies are Secure and named with the __Host- prefix (http/cookie-names.ts). */
    secureCookies: boolean;
  }
  interface FastifyContextConfig {
    /** "rerender": the handler checks request.csrfValid itself so it can keep the typed input. */
    csrf?: "rerender";
  }
}

const LANG_COOKIE = "us_lang";

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, secret } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // A line per request is what a reverse proxy's access log is for; here it would cost more than serving a
    // cached letter page, and every line names a path someone visited. Errors are logged at any level;
    // LOG_LEVEL=debug adds Fastify's two lines per request when tracing a problem.
    logController: new LogController({ disableRequestLogging: !deps.log.isLevelEnabled("debug") }),
    // A hop count trusts the nearest N proxies: X-Forwarded-For is read from the right, N entries deep.
    trustProxy:
      typeof config.trustProxy === "number"
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Route params never hold more than a slug or a token.
    routerOptions: { maxParamLength: 200 },
  });

  await app.register(cookie, { secret });
  registerFormBodyParser(app);
  const headers = securityHeaders(config);
  const translators = Object.fromEntries(LOCALES.map((l) => [l, translator(l)])) as Record<Locale, Translate>;
  // One synchronous hook for what every request needs (security headers, language): it runs on every
  // request, and each extra hook, or an async one, costs measurably on cached pages.
  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(headers);
    const query = request.query as Record<string, unknown>;
    const chosen = query?.lang;
    let locale: Locale;
    if (isLocale(chosen)) {
      locale = chosen;
      // Remember an explicit choice so the next page (and the forms) keep the language.
      reply.setCookie(cookieName(request, LANG_COOKIE), chosen, {
        path: "/",
        sameSite: "lax",
        maxAge: 31536000,
        secure: config.secureCookies,
      });
    } else {
      const remembered = request.cookies[cookieName(request, LANG_COOKIE)];
      locale = isLocale(remembered) ? remembered : preferredLocale(request.headers["accept-language"]);
    }
    request.locale = locale;
    request.t = translators[locale];
    reply.header("vary", "Accept-Language, Cookie");
    done();
  });
  // A coarse per-process flood guard; sensitive actions (login, reset, signing) add database-backed limits
  // that hold across processes.
  await app.register(rateLimit, {
    max: 600,
    timeWindow: "1 minute",
    allowList: (request) => request.url.startsWith("/assets/"),
    errorResponseBuilder: (_request, context) =>
      new AppError("rate_limited", { minutes: Math.ceil(context.ttl / 60000) }),
  });
  serveStaticAssets(app);

  app.decorateRequest("locale", "en");
  app.decorateRequest("t", translator("en"));
  app.decorateRequest("csrfValid", false);
  app.decorateRequest("user", undefined);
  app.decorateRequest("secureCookies", config.secureCookies);
  app.decorateRequest("csrfToken", function (this: FastifyRequest, reply: FastifyReply) {
    return issueCsrfToken(this, reply, secret, config.secureCookies);
  });

  // The CSRF check is attached to every state-changing route as it is declared, so no route can miss it
  // and read-only routes (the hot, cached pages) do not pay for it.
  const allowedOrigin = new URL(config.baseUrl).origin;
  const checkCsrf: preHandlerHookHandler = (request, _reply, done) => {
    request.csrfValid = isCsrfValid(request, secret, allowedOrigin);
    if (!request.csrfValid && request.routeOptions.config.csrf !== "rerender")
      return done(new AppError("csrf"));
    done();
  };
  app.addHook("onRoute", (route) => {
    const methods = [route.method].flat();
    if (methods.every((m) => m === "GET" || m === "HEAD" || m === "OPTIONS")) return;
    route.preHandler = [checkCsrf, ...[route.preHandler ?? []].flat()];
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === "internal") request.log.error({ err: error }, "unhandled error");
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError("not_found")));

  app.addHook("onClose", () => deps.pdf.close());
  const metrics = new AppMetrics(deps.store, deps.now);
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  const letterPdfs = new LetterPdfs(deps.pdf, config.dataDir, printResources(config.dataDir), (seconds) =>
    metrics.observePdfPrint(seconds),
  );
  for (const register of routes) await register(app, { ...deps, letterPdfs, metrics });
  return app;
}

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return new AppError("payload_too_large");
  if (isUnstorableText(error)) return new AppError("unstorable_text");
  // A body that ends early is the sender's doing, not a fault here: busboy's refusal of a multipart body
  // without its closing boundary carries no status, and a client that hangs up midway aborts the read.
  if (error.message === "Unexpected end of multipart data" || error.code === "ECONNRESET")
    return new AppError("incomplete_body");
  if (error.statusCode === 429) return new AppError("rate_limited", { minutes: 1 });
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return new AppError("validation");
  return new AppError("internal");
}

/** Errors answer in the form the client asked for: JSON for the API, a translated page otherwise. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const message =
    error.code === "rate_limited"
      ? rateLimitedMessage(request.t, Number(error.params.minutes ?? 1))
      : request.t(APP_ERRORS[error.code].message, error.params);
  if (error.code === "rate_limited")
    reply.header("retry-after", String(Number(error.params.minutes ?? 1) * 60));
  if (request.url.startsWith("/api/") || request.url === "/healthz") {
    return reply.status(error.status).send({ error: { code: error.code, message } });
  }
  return sendPage(reply, ErrorPage({ ctx: pageContext(request, reply), message }), error.status);
}
