import type { FastifyRequest } from "fastify";
import { type SignForm, type SignFormField, signLetter } from "../../../commands/sign-letter.ts";
import { AppError } from "../../../domain/app-error.ts";
import {
  SIGNING_PAUSED_SETTING,
  type SignOnClosedReason,
  signOnStatus,
} from "../../../domain/sign-on-rules.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import { getSignOnLetter, type SignOnLetter } from "../../../queries/get-sign-on-letter.ts";
import { getSetting } from "../../../store/settings.ts";
import type { RouteModule } from "../../app-deps.ts";
import { translateProblems } from "../../forms/field-errors.ts";
import { checkFormStamp, issueFormStamp } from "../../forms/form-stamp.ts";
import { retryAfter } from "../../forms/parse-form.ts";
import { SLUG } from "../../http/slugs.ts";
import { pageContext, sendPage } from "../../render.ts";
import { SignClosedPage, SignPage, type SignPageProps, SignSentPage } from "../../views/sign/sign-page.tsx";

type SignRequest = { Params: { slug: string }; Querystring: { key?: string } };

/** The honeypot's name: a field people never see and form-filling programs rarely skip. */
const HONEYPOT = "reference_code";

const FORM_FIELDS: readonly SignFormField[] = [
  "kind",
  "visibility",
  "name",
  "name_alt",
  "category",
  "country",
  "website",
  "affiliation",
  "contact_person",
  "email",
  "consent",
  "updates",
  "sealed_identity",
  "sealed_contact",
];

const CLOSED_MESSAGES = {
  not_open: "sign.closedNotOpen",
  deadline_passed: "sign.closedDeadline",
  paused: "sign.closedPaused",
  needs_key: "sign.closedNoKey",
  demo_key: "sign.closedDemoKey",
} as const satisfies Record<SignOnClosedReason, string>;

/**
 * `/letters/:slug/sign`: the form, and its submission. Every refusal (expired CSRF token, honeypot, a form
 * sent too fast or too late, invalid fields, a duplicate name, a rate limit, sign-on paused meanwhile)
 * re-renders the form with everything typed and a message in the page's language; only success leaves it.
 */
export const signFormRoutes: RouteModule = async (app, deps) => {
  const load = async (request: FastifyRequest<SignRequest>): Promise<SignOnLetter> => {
    const { slug } = request.params;
    const letter = SLUG.test(slug)
      ? await getSignOnLetter(deps.store.db, {
          slug,
          language: request.locale,
          privateKey: request.query.key,
        })
      : undefined;
    if (!letter) throw new AppError("not_found");
    return letter;
  };
  // The private key stays in the query of every URL of the flow, never in a cookie or a log line.
  const withKey = (request: FastifyRequest<SignRequest>, path: string) =>
    request.query.key ? `${path}?key=${encodeURIComponent(request.query.key)}` : path;

  app.get<SignRequest>("/letters/:slug/sign", async (request, reply) => {
    const letter = await load(request);
    const now = deps.now();
    const paused = (await getSetting(deps.store.db, SIGNING_PAUSED_SETTING)) === "1";
    const status = signOnStatus(letter, letter, { paused, now });
    const ctx = pageContext(request, reply);
    if (!status.open) {
      return sendPage(
        reply,
        SignClosedPage({ ctx, title: letter.title, message: request.t(CLOSED_MESSAGES[status.reason]) }),
      );
    }
    return sendPage(
      reply,
      SignPage({
        ctx,
        letter,
        action: withKey(request, `/letters/${letter.slug}/sign`),
        stamp: issueFormStamp(deps.secret, letter.id, now),
      }),
    );
  });

  app.post<SignRequest>("/letters/:slug/sign", { config: { csrf: "rerender" } }, async (request, reply) => {
    const letter = await load(request);
    const now = deps.now();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = typedValues(body);
    const t = request.t;
    const stamp = checkFormStamp(deps.secret, letter.id, body.ts, now);
    // A form that already passed the time check keeps its stamp, so sending it again straight after a
    // correction (or the Zawgyi check) is not mistaken for a program; any other gets a fresh one.
    const pageStamp = stamp === "ok" ? String(body.ts) : issueFormStamp(deps.secret, letter.id, now);
    const rerender = (status: number, extra: Partial<SignPageProps>) =>
      sendPage(
        reply,
        SignPage({
          ctx: pageContext(request, reply),
          letter,
          action: withKey(request, `/letters/${letter.slug}/sign`),
          stamp: pageStamp,
          values,
          ...extra,
        }),
        status,
      );

    if (!request.csrfValid) return rerender(403, { problem: t("error.csrf") });
    if (typeof body[HONEYPOT] === "string" && body[HONEYPOT] !== "") {
      return rerender(400, { problem: t("sign.honeypot") });
    }
    if (stamp !== "ok") {
      const message =
        stamp === "too_fast" ? "sign.tooFast" : stamp === "too_old" ? "sign.tooOld" : "sign.stampInvalid";
      return rerender(400, { problem: t(message) });
    }

    const result = await signLetter(
      deps,
      {
        slug: letter.slug,
        privateKey: request.query.key,
        letter,
        form: body,
        locale: request.locale,
        ip: request.ip,
      },
      now,
    );
    switch (result.outcome) {
      case "not_found":
        throw new AppError("not_found");
      case "closed":
        return rerender(409, { problem: t(CLOSED_MESSAGES[result.reason]) });
      case "rate_limited":
        return rerender(429, {
          problem: rateLimitedMessage(t, retryAfter(reply, result.retryAfterMs)),
        });
      case "invalid":
        return rerender(400, {
          problem:
            result.problems.name?.key === "sign.alreadySigned"
              ? t("sign.alreadySigned")
              : t("error.validation"),
          errors: translateProblems(result.problems, t),
        });
      case "check":
        return rerender(200, {
          values: { ...values, ...result.converted },
          converted: Object.keys(result.converted) as SignFormField[],
        });
      case "sent":
        return reply.redirect(withKey(request, `/letters/${letter.slug}/sign/sent`), 303);
    }
  });

  app.get<SignRequest>("/letters/:slug/sign/sent", async (request, reply) => {
    const letter = await load(request);
    return sendPage(
      reply,
      SignSentPage({ ctx: pageContext(request, reply), title: letter.title, slug: letter.slug }),
    );
  });
};

/** What the person typed, to show it again: strings of known fields only. */
function typedValues(body: Record<string, unknown>): SignForm {
  const values: SignForm = {};
  for (const field of FORM_FIELDS) {
    const value = body[field];
    if (typeof value === "string") values[field] = value;
  }
  return values;
}
