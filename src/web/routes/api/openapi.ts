import type { FastifyReply } from "fastify";
import type { RouteModule } from "../../app-deps.ts";
import { cachePublicly, readableFromAnyOrigin } from "../../http/public-caching.ts";

/*
 * `/api/v1/openapi.json`: the OpenAPI 3.1 description of every GET route of the API, with the schema of
 * each answer (JSON Schema 2020-12). openapi.test.ts validates the document and checks every route's real
 * answer against it, so a field added to a route without being described here fails a test.
 *
 * Cross-origin reads: every GET answers `Access-Control-Allow-Origin: *` (no credentials: the API reads
 * nothing from cookies), and a preflight is answered for GET and HEAD only; the API has nothing else.
 */

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });
const date = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}" };
const nullableDate = { type: ["string", "null"], pattern: "^\\d{4}-\\d{2}-\\d{2}" };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, unknown>, optional: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

const visibilityCounts = object({
  total: { type: "integer", minimum: 0 },
  listed: { type: "integer", minimum: 0 },
  undisclosed: { type: "integer", minimum: 0 },
});

const campaignRef = object({
  slug: { type: "string" },
  name: { type: "string" },
  url: { type: "string", format: "uri" },
  isExample: { type: "boolean" },
});

const letterState = { type: "string", enum: ["published", "closed", "archived"] };
const signers = { type: "string", enum: ["organisations", "individuals", "both"] };

/** What a letter in the list and a letter on its own both begin with, in the same order as the answers. */
const letterHeading = {
  slug: { type: "string" },
  url: { type: "string", format: "uri" },
  state: letterState,
  language: { type: "string" },
  languages: { type: "array", items: { type: "string" } },
  title: { type: "string" },
  subject: { type: "string" },
};
const letterDates = { letterDate: nullableDate, publicationDate: nullableDate, signers };

const schemas = {
  Error: object({ error: object({ code: { type: "string" }, message: { type: "string" } }) }),
  VisibilityCounts: visibilityCounts,
  Counts: object({
    ...visibilityCounts.properties,
    byKind: object({ organisation: ref("VisibilityCounts"), individual: ref("VisibilityCounts") }),
  }),
  LetterSummary: object({
    ...letterHeading,
    ...letterDates,
    campaign: campaignRef,
    counts: ref("Counts"),
  }),
  LetterList: object({ letters: { type: "array", items: ref("LetterSummary") } }),
  Letter: object({
    ...letterHeading,
    addressees: {
      type: "array",
      items: object({ heading: { type: "string" }, names: { type: "array", items: { type: "string" } } }),
    },
    salutation: { type: "string" },
    ...letterDates,
    categories: { type: "array", items: { type: "string" } },
    campaign: campaignRef,
    publisher: object({
      name: nullable("string"),
      url: nullable("string", { format: "uri" }),
      about: { type: "string" },
      links: {
        type: "array",
        items: object({ label: { type: "string" }, url: { type: "string", format: "uri" } }),
      },
    }),
    counts: ref("Counts"),
    log: {
      type: ["object", "null"],
      description:
        "Where the counts can be checked: the letter's name in the transparency log at /log/ and the tree size whose entries, counted (endorsements minus withdrawals), give these counts. Null until the letter is in the log.",
      properties: { letter: { type: "string" }, size: { type: "integer", minimum: 1 } },
      required: ["letter", "size"],
      additionalProperties: false,
    },
  }),
  SignatoryPage: object({
    letter: { type: "string" },
    query: object({ q: { type: "string" }, category: nullable("string"), country: nullable("string") }),
    page: { type: "integer", minimum: 1 },
    pages: { type: "integer", minimum: 1 },
    pageSize: { type: "integer", minimum: 1 },
    matching: { type: "integer", minimum: 0, description: "Listed signatories matching the search." },
    counts: object({ listed: { type: "integer", minimum: 0 }, total: { type: "integer", minimum: 0 } }),
    signatories: {
      type: "array",
      items: object({
        name: { type: "string" },
        nameAlt: nullable("string"),
        category: nullable("string"),
        country: nullable("string", { description: "ISO 3166-1 alpha-2 code" }),
        website: nullable("string", { format: "uri" }),
      }),
    },
  }),
  Tracker: object({
    letter: { type: "string" },
    statement: { type: "string", description: 'E.g. "To date, 12 of 16 recipients have not responded."' },
    counts: object({
      recipients: { type: "integer", minimum: 0 },
      delivered: { type: "integer", minimum: 0 },
      responded: { type: "integer", minimum: 0 },
    }),
    recipients: {
      type: "array",
      items: object({
        name: { type: "string" },
        office: nullable("string"),
        country: nullable("string"),
        addresseeGroup: nullable("string"),
        deliveredAt: nullable("string", { format: "date-time" }),
        deliveryMethod: { type: ["string", "null"], enum: ["email", "hand", "post", "embassy", null] },
        respondedAt: nullableDate,
        responses: {
          type: "array",
          items: object({
            receivedAt: date,
            summary: { type: "string" },
            documentUrl: nullable("string", { format: "uri" }),
          }),
        },
        stances: {
          type: "array",
          items: object({
            label: { type: "string" },
            translations: { type: "object", additionalProperties: { type: "string" } },
          }),
        },
      }),
    },
  }),
  Updates: object({
    letter: { type: "string" },
    feed: { type: "string", format: "uri", description: "The same updates as an Atom feed." },
    updates: {
      type: "array",
      description: "Newest first.",
      items: object({
        id: { type: "integer" },
        url: { type: "string", format: "uri" },
        language: { type: "string" },
        title: { type: "string" },
        body: { type: "string", description: "Markdown, as written." },
        html: { type: "string", description: "The body rendered and sanitised, as on the letter page." },
        publishedAt: { type: "string", format: "date-time" },
      }),
    },
  }),
  OpenApiDocument: { type: "object", required: ["openapi", "info", "paths"] },
};

const lang = {
  name: "lang",
  in: "query",
  required: false,
  description: "Language of titles and texts (falls back to the letter's default language).",
  schema: { type: "string", enum: ["en", "my"] },
};
const slug = {
  name: "slug",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,119}$" },
};
const json = (schema: string) => ({ "application/json": { schema: ref(schema) } });
const ok = (description: string, schema: string) => ({ description, content: json(schema) });
const notFound = { description: "No such public letter (or page).", content: json("Error") };
/** A GET of one public letter's resource: by slug, in a language, 404 for a letter that is not public. */
const letterGet = (operationId: string, summary: string, description: string, schema: string) => ({
  get: {
    operationId,
    summary,
    parameters: [slug, lang],
    responses: { "200": ok(description, schema), "404": notFound },
  },
});

/** Every GET route of /api/v1, by OpenAPI path. Tests walk this list. */
export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Undersigned read-only API",
    version: "1.0.0",
    description:
      "Public letters, their counts, listed signatories, delivery tracker and updates. Read-only; any " +
      "origin may read it. Undisclosed endorsements appear only as numbers.",
  },
  paths: {
    "/api/v1/letters": {
      get: {
        operationId: "listLetters",
        summary: "Published letters",
        parameters: [lang],
        responses: { "200": ok("The published letters.", "LetterList") },
      },
    },
    "/api/v1/letters/{slug}": letterGet(
      "getLetter",
      "One public letter with its counts",
      "The letter.",
      "Letter",
    ),
    "/api/v1/letters/{slug}/signatories": {
      get: {
        operationId: "listSignatories",
        summary: "Listed signatories, searched and paginated like the public list",
        parameters: [
          slug,
          lang,
          {
            name: "q",
            in: "query",
            required: false,
            description: "Search: case-, accent- and Zawgyi-insensitive.",
            schema: { type: "string", maxLength: 200 },
          },
          { name: "category", in: "query", required: false, schema: { type: "string", maxLength: 200 } },
          { name: "country", in: "query", required: false, schema: { type: "string", maxLength: 200 } },
          { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
        ],
        responses: {
          "200": ok("One page of the listed signatories.", "SignatoryPage"),
          "400": { description: "Invalid query.", content: json("Error") },
          "404": notFound,
        },
      },
    },
    "/api/v1/letters/{slug}/tracker": letterGet(
      "getTracker",
      "Recipients, deliveries, public responses and stances",
      "The tracker.",
      "Tracker",
    ),
    "/api/v1/letters/{slug}/updates": letterGet(
      "listUpdates",
      "The coordinators' updates on a letter",
      "The updates, newest first.",
      "Updates",
    ),
    "/api/v1/openapi.json": {
      get: {
        operationId: "getOpenApi",
        summary: "This document",
        responses: { "200": ok("The OpenAPI document.", "OpenApiDocument") },
      },
    },
  },
  components: { schemas },
} as const;

function allowCrossOriginGet(reply: FastifyReply): void {
  readableFromAnyOrigin(reply);
  reply.header("access-control-allow-methods", "GET, HEAD, OPTIONS");
  reply.header("access-control-allow-headers", "Accept, Accept-Language, If-None-Match");
  reply.header("access-control-max-age", "86400");
}

export const apiOpenApiRoutes: RouteModule = async (app) => {
  app.get("/api/v1/openapi.json", async (_request, reply) => {
    readableFromAnyOrigin(reply);
    cachePublicly(reply);
    return openApiDocument;
  });

  // Preflight: granted for reads only. Anything else gets no CORS headers, so browsers refuse it.
  app.options("/api/v1/*", async (request, reply) => {
    const method = String(request.headers["access-control-request-method"] ?? "").toUpperCase();
    if (method !== "GET" && method !== "HEAD") {
      reply.header("allow", "GET, HEAD, OPTIONS");
      return reply.status(405).send();
    }
    allowCrossOriginGet(reply);
    return reply.status(204).send();
  });
};
