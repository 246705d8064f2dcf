import type { FastifyReply } from "fastify";
import { z } from "zod";
import type { RouteModule } from "../../app-deps.ts";
import { API_SCHEMAS, SignatoriesQuery } from "../../http/api-schemas.ts";
import { cachePublicly, readableFromAnyOrigin } from "../../http/public-caching.ts";

/*
 * `/api/v1/openapi.json`: the OpenAPI 3.1 description of every GET route of the API, with the schema of
 * each answer (JSON Schema 2020-12) generated from the zod schemas the routes are typed with
 * (http/api-schemas.ts). openapi.test.ts validates the document and checks every route's real answer
 * against it.
 *
 * Cross-origin reads: every GET answers `Access-Control-Allow-Origin: *` (no credentials: the API reads
 * nothing from cookies), and a preflight is answered for GET and HEAD only; the API has nothing else.
 */

/** The answers' JSON Schemas (2020-12), generated from the zod schemas the routes return, by name. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(API_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "output",
    uri: (id) => `#/components/schemas/${id}`,
    // Descriptions and formats are attached with .meta() (the global registry).
    metadata: z.globalRegistry,
  } as Parameters<typeof z.toJSONSchema>[1]);
  // Within an OpenAPI document a component is named by where it sits: no $schema or $id of its own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}

const schemas = {
  ...componentSchemas(),
  OpenApiDocument: { type: "object", required: ["openapi", "info", "paths"] },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The signatories route's query parameters, from the zod schema that parses them. */
const signatoriesParameters = (() => {
  const query = z.toJSONSchema(SignatoriesQuery, { target: "draft-2020-12", io: "input" }) as {
    properties: Record<string, { description?: string } & Record<string, unknown>>;
  };
  return Object.entries(query.properties).map(([name, { description, ...schema }]) => ({
    name,
    in: "query",
    required: false,
    ...(description ? { description } : {}),
    schema,
  }));
})();

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
        parameters: [slug, lang, ...signatoriesParameters],
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
