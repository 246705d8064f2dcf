import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteGenericInterface,
  RouteShorthandOptions,
} from "fastify";
import type { z } from "zod";
import { APP_ERRORS, AppError, type AppErrorCode } from "../../domain/app-error.ts";
import { textProblems } from "../../domain/text-input.ts";
import { rateLimitedMessage } from "../../i18n/index.ts";
import type { AppDeps } from "../app-deps.ts";
import { invalidForm } from "./field-errors.ts";
import { type FieldErrors, parseForm, retryAfter } from "./parse-form.ts";

/*
 * The one way a form is handled. Every form route takes the same steps in the same order, so none of them
 * can forget one: load what the page is about (404 when it is not there), authorise the person, keep what
 * was typed, answer a failed CSRF check by showing the form again (403) with the values, parse with the
 * route's zod schema (translated messages carrying the schema's real limits), run the command, and either
 * redirect (303) or show the form again with what was typed and why it was refused (400 for a command's
 * `AppError("validation")`, or whatever status a route's own refusal names).
 */

/** What a form page shows besides its data: the values typed, each field's message and the summary. */
export type FormPage<V> = { values: V; errors?: FieldErrors; problem?: string };

/** What a step knows about the request once the thing it is about is loaded and the person authorised. */
export type FormScope<P extends RouteGenericInterface, L, U, V> = {
  request: FastifyRequest<P>;
  reply: FastifyReply;
  loaded: L;
  user: U;
  values: V;
  /** The clock, read once for the whole request. */
  now: Date;
};

const AGAIN = Symbol("form again");

/** A refusal a command step names itself (a rate limit, a closed letter): show the form again with it. */
export type FormAgain<V, X> = {
  readonly [AGAIN]: true;
  status: number;
  page: Partial<FormPage<V>> & X;
};

export function formAgain<V, X extends object = object>(
  status: number,
  page: Partial<FormPage<V>> & X,
): FormAgain<V, X> {
  return { [AGAIN]: true, status, page };
}

function isAgain<V, X>(value: unknown): value is FormAgain<V, X> {
  return typeof value === "object" && value !== null && AGAIN in value;
}

export type FormRouteSpec<P extends RouteGenericInterface, L, U, V, D, R, X extends object> = {
  /** Route options besides the CSRF mode, e.g. a body limit. */
  options?: RouteShorthandOptions;
  /** Finds what the page is about; throws `AppError("not_found")` when it is not there. */
  load: (request: FastifyRequest<P>) => Promise<L> | L;
  /** Asks the policy table (through `requirePermission` and friends); throws when refused. */
  authorise: (request: FastifyRequest<P>, loaded: L) => U | Promise<U>;
  /** What was typed, to show it again on every failure (never a password). */
  values: (body: unknown, loaded: L) => V;
  /**
   * Buttons that change the form itself rather than submit it (add a row, remove one) answer here, after the
   * CSRF check and before parsing: the form comes back rearranged, nothing saved.
   */
  rearrange?: (scope: FormScope<P, L, U, V>) => FormAgain<V, X> | undefined;
  /**
   * The form's zod schema, whose messages are i18n keys. It reads the kept values and, for fields never
   * shown again (passwords), the body. Without one the values go to the command as they are.
   */
  schema?: z.ZodType<D> | ((scope: FormScope<P, L, U, V>) => z.ZodType<D>);
  /** The use case; throws `AppError("validation")` with field keys, or returns `formAgain(…)` to refuse. */
  command: (data: D, scope: FormScope<P, L, U, V>) => Promise<R | FormAgain<V, X>>;
  /** Shows the form's page with this status (values, errors and problem included). */
  render: (
    scope: FormScope<P, L, U, V>,
    status: number,
    page: FormPage<V> & Partial<X>,
  ) => Promise<FastifyReply> | FastifyReply;
  /** Where a success goes (303). A form without one answers every submission with a page (`formAgain`). */
  redirect?: (result: R, scope: FormScope<P, L, U, V>) => string;
};

/** Registers `POST url` as a form handled by the pipeline above. */
export function formRoute<
  P extends RouteGenericInterface,
  L,
  U,
  V,
  D = V,
  R = unknown,
  X extends object = object,
>(app: FastifyInstance, deps: AppDeps, url: string, spec: FormRouteSpec<P, L, U, V, D, R, X>): void {
  const options = spec.options ?? {};
  const page = (shown: FormPage<V>) => shown as FormPage<V> & Partial<X>;
  const again = (scope: FormScope<P, L, U, V>, answer: FormAgain<V, X>) =>
    spec.render(scope, answer.status, {
      ...answer.page,
      values: answer.page.values ?? scope.values,
    } as FormPage<V> & Partial<X>);
  app.post(
    url,
    { ...options, config: { ...options.config, csrf: "rerender" } },
    async (anyRequest, reply) => {
      const request = anyRequest as FastifyRequest<P>;
      const loaded = await spec.load(request);
      const user = await spec.authorise(request, loaded);
      const values = spec.values(request.body, loaded);
      const scope: FormScope<P, L, U, V> = { request, reply, loaded, user, values, now: deps.now() };
      const t = request.t;

      if (!request.csrfValid) return spec.render(scope, 403, page({ values, problem: t("error.csrf") }));

      const rearranged = spec.rearrange?.(scope);
      if (rearranged) return again(scope, rearranged);

      let data: D;
      if (spec.schema) {
        const schema = typeof spec.schema === "function" ? spec.schema(scope) : spec.schema;
        const body = (request.body ?? {}) as Record<string, unknown>;
        const form = parseForm(schema, { ...body, ...values }, t);
        if (!form.ok) {
          return spec.render(
            scope,
            400,
            page({ values, errors: form.errors, problem: t("error.validation") }),
          );
        }
        data = form.data;
      } else {
        // Without a schema the values go to the command as they are, so the characters no field may hold
        // are refused here, as parseForm refuses them for schemas.
        const errors = Object.fromEntries(
          Object.entries(textProblems(request.body)).map(([field, key]) => [field, t(key)]),
        );
        if (Object.keys(errors).length > 0)
          return spec.render(scope, 400, page({ values, errors, problem: t("error.validation") }));
        data = values as unknown as D;
      }

      let result: R | FormAgain<V, X>;
      try {
        result = await spec.command(data, scope);
      } catch (error) {
        const invalid = invalidForm(error, t);
        if (invalid) return spec.render(scope, 400, page({ values, ...invalid }));
        // A refusal about this attempt (too many tries, a busy server, a conflict) shows the form again with
        // what was typed; one about the page itself (gone, forbidden, a dead link) is the error page.
        if (error instanceof AppError && KEEPS_THE_FORM.has(error.code)) {
          const problem =
            error.code === "rate_limited"
              ? rateLimitedMessage(t, retryAfter(reply, Number(error.params.minutes ?? 1) * 60_000))
              : t(APP_ERRORS[error.code].message, error.params);
          return spec.render(scope, error.status, page({ values, problem }));
        }
        throw error;
      }
      if (isAgain<V, X>(result)) return again(scope, result);
      if (!spec.redirect) throw new Error(`The form at ${url} answered without a page and has nowhere to go`);
      return reply.redirect(spec.redirect(result, scope), 303);
    },
  );
}

const KEEPS_THE_FORM: ReadonlySet<AppErrorCode> = new Set([
  "rate_limited",
  "conflict",
  "invalid_state",
  "unavailable",
  "payload_too_large",
]);

/** For forms about nothing loaded beforehand (sign-in, a new campaign). */
export const nothingToLoad = (): undefined => undefined;
