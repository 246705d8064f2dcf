import type { FastifyReply, FastifyRequest } from "fastify";
import { signLetter } from "../../../commands/sign-letter.ts";
import { AppError } from "../../../domain/app-error.ts";
import type { SignForm, SignFormField } from "../../../domain/sign-form.ts";
import { type SignOnClosedReason, signOnStatus } from "../../../domain/sign-on-rules.ts";
import { rateLimitedMessage } from "../../../i18n/index.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { getSignOnLetter, type SignOnLetter } from "../../../queries/get-sign-on-letter.ts";
import type { RouteModule } from "../../app-deps.ts";
import { translateProblems } from "../../forms/field-errors.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { checkFormStamp, issueFormStamp } from "../../forms/form-stamp.ts";
import { retryAfter } from "../../forms/parse-form.ts";
import { fillTemplate, pageTemplate, slotMarker } from "../../http/page-template.ts";
import { SLUG } from "../../http/slugs.ts";
import { LetterCache } from "../../letter-cache.ts";
import { pageContext, renderDocument, sendHtml, sendPage } from "../../render.ts";
import { SignClosedPage, SignPage, type SignPageProps, SignSentPage } from "../../views/sign/sign-page.tsx";

type SignRequest = { Params: { slug: string }; Querystring: { key?: string } };

/** What the sign page shows besides values, errors and problem: the fields the Zawgyi check converted. */
type SignPageExtras = Pick<SignPageProps, "converted">;

/** How long a rendered form may serve before it is rendered again even without word of a change. */
const TEMPLATE_TTL_MS = 5_000;

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
  "threshold",
  "disclose_on",
  "sealed_identity",
  "identity_salt",
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
  // The full text of the version being endorsed, in any state: signers read what their receipt names.
  const letterText = (letter: SignOnLetter, language: string) =>
    getPublicLetter(
      deps.store.db,
      { slug: letter.slug, language, withSignatories: false },
      { letterId: letter.id, versionId: letter.versionId },
    );
  // The private key stays in the query of every URL of the flow, never in a cookie or a log line.
  const withKey = (request: FastifyRequest<SignRequest>, path: string) =>
    request.query.key ? `${path}?key=${encodeURIComponent(request.query.key)}` : path;

  // The form as every anonymous visitor gets it, rendered once per letter, version, language, address and
  // settings, with slots for the two values that differ per visitor (http/page-template.ts). The letter
  // text in it shows counts, so a change to the letter marks it stale as it does the letter page.
  const templates = new LetterCache({ ttlMs: TEMPLATE_TTL_MS, maxEntries: 200 });
  const formTemplate = (request: FastifyRequest<SignRequest>, reply: FastifyReply, letter: SignOnLetter) => {
    const key = JSON.stringify([
      letter.id,
      letter.versionId,
      letter.language,
      request.locale,
      request.url,
      letter.state,
      letter.signers,
      letter.categories,
      letter.requiredFields,
      letter.allowUndisclosed,
      letter.publicKey,
    ]);
    return templates.get(key, async () => {
      const page = SignPage({
        ctx: { ...pageContext(request, reply), csrfToken: slotMarker("csrf") },
        letter,
        text: await letterText(letter, request.locale),
        action: withKey(request, `/letters/${letter.slug}/sign`),
        stamp: slotMarker("stamp"),
      });
      return { letterId: letter.id, value: pageTemplate(renderDocument(page), ["csrf", "stamp"] as const) };
    });
  };

  app.get<SignRequest>("/letters/:slug/sign", async (request, reply) => {
    const letter = await load(request);
    const now = deps.now();
    const status = signOnStatus(letter, letter, { paused: letter.signingPaused, now });
    const ctx = pageContext(request, reply);
    if (!status.open) {
      const message = letter.state === "draft" ? "sign.closedNotYet" : CLOSED_MESSAGES[status.reason];
      return sendPage(reply, SignClosedPage({ ctx, title: letter.title, message: request.t(message) }));
    }
    const stamp = issueFormStamp(deps.secret, letter.id, now);
    // A signed-in coordinator's page names the console in its header: rendered for them alone.
    const template = request.user ? undefined : await formTemplate(request, reply, letter);
    if (template) {
      reply.header("cache-control", "private, no-store");
      return sendHtml(reply, fillTemplate(template, { csrf: ctx.csrfToken ?? "", stamp }));
    }
    return sendPage(
      reply,
      SignPage({
        ctx,
        letter,
        text: await letterText(letter, request.locale),
        action: withKey(request, `/letters/${letter.slug}/sign`),
        stamp,
      }),
    );
  });

  /**
   * A form that already passed the time check keeps its stamp, so sending it again straight after a
   * correction (or the Zawgyi check) is not mistaken for a program; any other gets a fresh one.
   */
  const stampOf = (body: unknown, letter: SignOnLetter, now: Date) => {
    const ts = (body as Record<string, unknown> | undefined)?.ts;
    const check = checkFormStamp(deps.secret, letter.id, ts, now);
    return { check, again: check === "ok" ? String(ts) : issueFormStamp(deps.secret, letter.id, now) };
  };

  formRoute(app, deps, "/letters/:slug/sign", {
    load,
    authorise: () => undefined,
    values: typedValues,
    command: async (values, { request, reply, loaded: letter, now }) => {
      const t = request.t;
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body[HONEYPOT] === "string" && body[HONEYPOT] !== "") {
        return formAgain<SignForm, SignPageExtras>(400, { problem: t("sign.honeypot") });
      }
      const stamp = stampOf(body, letter, now).check;
      if (stamp !== "ok") {
        const message =
          stamp === "too_fast" ? "sign.tooFast" : stamp === "too_old" ? "sign.tooOld" : "sign.stampInvalid";
        return formAgain<SignForm, SignPageExtras>(400, { problem: t(message) });
      }
      // The command reads the body itself: the sealed fields are opaque to this route and never kept.
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
          return formAgain<SignForm, SignPageExtras>(409, { problem: t(CLOSED_MESSAGES[result.reason]) });
        case "rate_limited":
          return formAgain<SignForm, SignPageExtras>(429, {
            problem: rateLimitedMessage(t, retryAfter(reply, result.retryAfterMs)),
          });
        case "invalid":
          return formAgain<SignForm, SignPageExtras>(400, {
            problem:
              result.problems.name?.key === "sign.alreadySigned"
                ? t("sign.alreadySigned")
                : t("error.validation"),
            errors: translateProblems(result.problems, t),
          });
        case "check":
          return formAgain<SignForm, SignPageExtras>(200, {
            values: { ...values, ...result.converted },
            converted: Object.keys(result.converted) as SignFormField[],
          });
        case "sent":
          return result;
      }
    },
    render: async ({ request, reply, loaded: letter, now }, status, form) =>
      sendPage(
        reply,
        SignPage({
          ctx: pageContext(request, reply),
          letter,
          text: await letterText(letter, request.locale),
          action: withKey(request, `/letters/${letter.slug}/sign`),
          stamp: stampOf(request.body, letter, now).again,
          ...form,
        }),
        status,
      ),
    redirect: (_, { request, loaded: letter }) => withKey(request, `/letters/${letter.slug}/sign/sent`),
  });

  app.get<SignRequest>("/letters/:slug/sign/sent", async (request, reply) => {
    const letter = await load(request);
    return sendPage(
      reply,
      SignSentPage({
        ctx: pageContext(request, reply),
        title: letter.title,
        slug: letter.slug,
        published: letter.state === "published",
      }),
    );
  });
};

/** What the person typed, to show it again: strings of known fields only. */
function typedValues(body: unknown): SignForm {
  const values: SignForm = {};
  for (const field of FORM_FIELDS) {
    const value = (body as Record<string, unknown> | undefined)?.[field];
    if (typeof value === "string") values[field] = value;
  }
  return values;
}
