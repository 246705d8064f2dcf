import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { importSealedSignatures } from "../../../commands/import-sealed-signatures.ts";
import { importSignatures } from "../../../commands/import-signatures.ts";
import { AppError } from "../../../domain/app-error.ts";
import { guessColumns } from "../../../domain/column-guesses.ts";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "../../../domain/endorsement-file.ts";
import {
  EndorsementFileUnreadable,
  type ReadEndorsementFile,
  readEndorsementFile,
} from "../../../domain/endorsement-file-reader.ts";
import {
  EndorsementFileError,
  listedKeys,
  pickColumns,
  planRows,
  setApartOnLetter,
} from "../../../domain/endorsement-import.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import { heldMatchKeys, ImportRefused, type ImportStatus } from "../../../store/imported-rows.ts";
import type { RouteModule } from "../../app-deps.ts";
import { csrfProblem, typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { ID } from "../../http/ids.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import {
  type ImportFormValues,
  ImportPage,
  type ImportPageLetter,
  type ImportStep,
} from "../../views/admin/import-page.tsx";

/*
 * The console's import of endorsement files: upload, column mapping with preview, import.
 *
 * Without JavaScript the file makes a round trip: uploaded, read, and kept under DATA_DIR/imports for the
 * mapping step, never readable there: it is encrypted (AES-256-GCM) with a key derived from a random token
 * that travels only in the coordinator's form (a hidden field), and stored under another value derived
 * from it, so the server (and anyone who copies DATA_DIR) holds ciphertext without its key. Kept files are
 * deleted when imported, after an hour in any case (swept on each use of these routes), and all of them
 * when the server starts. A file with an undisclosed row is refused before anything is kept: its bytes
 * live only in this request's memory and are never written, logged or echoed. The upload form warns of
 * this before anyone uploads. With JavaScript, the page never sends the file (import-file.js reads, maps,
 * previews and seals it in the browser) and posts the prepared rows to /import/rows instead.
 *
 * Both previews set apart the listed rows whose name the letter already has, by the import's own rule
 * (heldMatchKeys). The browser asks /import/on-letter about its listed rows' match keys, a bounded number
 * at a time; it never sends an undisclosed row's name or key (a key is derived from the name).
 */

/** Large enough for a 100,000-row form export; the browser's prepared rows are about twice the file. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_PREPARED_BYTES = 2 * MAX_FILE_BYTES;
const KEEP_MS = 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Match keys per /import/on-letter request (the browser sends more in several), and their length. */
export const ON_LETTER_BATCH = 500;
const MAX_KEY_LENGTH = 400;
const onLetterBody = z.object({
  keys: z.array(z.string().min(1).max(MAX_KEY_LENGTH)).max(ON_LETTER_BATCH),
});

const noteField = z.string().trim().max(200).optional().catch(undefined);
const statusField = z.enum(["confirmed", "approved"]).catch("confirmed");

type Params = { id: string };

/** Any cell that says "undisclosed", in whichever column: the only safe test before a mapping exists. */
function hasUndisclosedRow(records: readonly (readonly string[])[]): boolean {
  return records.some(
    (record, i) => i > 0 && record.some((cell) => cell.trim().toLowerCase() === "undisclosed"),
  );
}

/** The kept file's name and key, both derived from the form's token; neither reveals the token. */
function keptFile(token: string): { name: string; key: Buffer } {
  const derive = (purpose: string) => createHash("sha256").update(`${purpose}:${token}`).digest();
  return { name: derive("import-file-name").toString("hex"), key: derive("import-file-key") };
}

/** iv (12 bytes) | tag (16 bytes) | ciphertext. */
function encryptKept(bytes: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decryptKept(sealed: Buffer, key: Buffer): Buffer | undefined {
  if (sealed.length < 28) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  } catch {
    return undefined;
  }
}

export const importRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;
  const folder = path.join(deps.config.dataDir, "imports");
  // Uploads left from before a restart are abandoned: their tokens went with forms nobody will send now.
  await rm(folder, { recursive: true, force: true });

  async function letterOf(request: FastifyRequest<{ Params: Params }>): Promise<{
    user: SessionUser;
    letter: ImportPageLetter;
    slug: string;
  }> {
    if (!ID.test(request.params.id)) throw new AppError("not_found");
    const row = await db
      .selectFrom("letters")
      .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
      .innerJoin("letter_translations", (join) =>
        join
          .onRef("letter_translations.version_id", "=", "letters.current_version_id")
          .onRef("letter_translations.language", "=", "letters.default_language"),
      )
      .select([
        "letters.id",
        "letters.slug",
        "letters.campaign_id",
        "letters.signers",
        "letters.allow_undisclosed",
        "letters.categories",
        "letter_translations.title",
        "campaigns.public_key",
      ])
      .where("letters.id", "=", Number(request.params.id))
      .executeTakeFirst();
    if (!row) throw new AppError("not_found");
    const user = requirePermission(request, "signature.edit", row.campaign_id);
    return {
      user,
      slug: row.slug,
      letter: {
        id: row.id,
        title: row.title,
        publicKey: row.public_key ?? "",
        settings: {
          signers: row.signers,
          allowUndisclosed: row.allow_undisclosed === 1,
          categories: JSON.parse(row.categories) as string[],
        },
      },
    };
  }

  function page(
    request: FastifyRequest,
    reply: FastifyReply,
    user: SessionUser,
    letter: ImportPageLetter,
    step: ImportStep,
    values: ImportFormValues,
    extra: { problem?: string | undefined } = {},
    status = 200,
  ) {
    return sendPage(
      reply,
      ImportPage({ ctx: pageContext(request, reply), user, letter, step, values, ...extra }),
      status,
    );
  }

  /** Removes kept uploads older than an hour; cheap (a handful of files) and needs no timer or process. */
  async function sweep(now: Date): Promise<void> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(folder, name);
      const info = await stat(file).catch(() => undefined);
      if (info && now.getTime() - info.mtimeMs > KEEP_MS) await rm(file, { force: true });
    }
  }

  function refusalMessage(request: FastifyRequest, error: ImportRefused | EndorsementFileUnreadable): string {
    if (error instanceof EndorsementFileUnreadable)
      return request.t(`import.file.${error.code}` as MessageKey, error.params);
    if (error.code === "file") return request.t("import.refused.file", { detail: error.message });
    return request.t(`import.refused.${error.code}` as MessageKey);
  }

  const valuesOf = (body: unknown): ImportFormValues => ({
    status: statusField.parse(typed(body, "status")) as ImportStatus,
    note: noteField.parse(typed(body, "note")) ?? "",
  });

  app.get<{ Params: Params }>("/admin/letters/:id/import", async (request, reply) => {
    const { user, letter } = await letterOf(request);
    await sweep(deps.now());
    return page(request, reply, user, letter, { kind: "upload" }, { status: "confirmed", note: "" });
  });

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: "keyValues",
      // One byte over the limit is enough to know the file is too large; the rest is drained, not kept.
      limits: { fileSize: MAX_FILE_BYTES + 1, files: 1, fields: 3, parts: 4 },
      throwFileSizeLimit: false,
    });
    uploads.post<{ Params: Params }>(
      "/admin/letters/:id/import",
      { config: { csrf: "rerender" } },
      async (request, reply) => {
        const { user, letter } = await letterOf(request);
        const values: ImportFormValues = { status: "confirmed", note: "" };
        const again = (problem: string, status: number) =>
          page(request, reply, user, letter, { kind: "upload" }, values, { problem }, status);
        const csrf = csrfProblem(request);
        if (csrf) return again(csrf, 403);
        const bytes = (request.body as Record<string, unknown> | undefined)?.file;
        if (!Buffer.isBuffer(bytes) || bytes.length === 0) return again(request.t("import.fileMissing"), 400);
        if (bytes.length > MAX_FILE_BYTES)
          return again(request.t("import.fileTooLarge", { max: MAX_FILE_BYTES / 1024 / 1024 }), 413);
        let file: ReadEndorsementFile;
        try {
          file = await readEndorsementFile(bytes);
        } catch (error) {
          if (error instanceof EndorsementFileUnreadable) return again(refusalMessage(request, error), 400);
          throw error;
        }
        // Refused before anything is written: the bytes go out of scope with this request.
        if (hasUndisclosedRow(file.records)) return again(request.t("import.undisclosedRefused"), 400);
        await sweep(deps.now());
        await mkdir(folder, { recursive: true, mode: 0o700 });
        const token = randomBytes(32).toString("base64url");
        const kept = keptFile(token);
        await writeFile(path.join(folder, kept.name), encryptKept(bytes, kept.key), { mode: 0o600 });
        const header = file.records[0]!;
        return page(
          request,
          reply,
          user,
          letter,
          { kind: "mapping", token, header, picked: guessColumns(header) },
          values,
        );
      },
    );
  });

  app.post<{ Params: Params }>(
    "/admin/letters/:id/import/mapping",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { user, letter, slug } = await letterOf(request);
      const values = valuesOf(request.body);
      const upload = (problem: string, status: number) =>
        page(request, reply, user, letter, { kind: "upload" }, values, { problem }, status);
      await sweep(deps.now());
      const token = typed(request.body, "token") ?? "";
      const kept = TOKEN.test(token) ? keptFile(token) : undefined;
      const sealed = kept ? await readFile(path.join(folder, kept.name)).catch(() => undefined) : undefined;
      const bytes = kept && sealed ? decryptKept(sealed, kept.key) : undefined;
      if (!bytes) return upload(request.t("import.expired"), 410);
      const file = await readEndorsementFile(bytes);
      const header = file.records[0]!;
      const picked: Partial<Record<EndorsementColumn, number>> = {};
      for (const column of ENDORSEMENT_COLUMNS) {
        const value = typed(request.body, `map_${column}`) ?? "";
        if (/^\d{1,4}$/.test(value) && Number(value) < header.length) picked[column] = Number(value);
      }
      const mapping = async (problem: string | undefined, status: number, preview?: boolean) => {
        let shown: ImportStep = { kind: "mapping", token, header, picked };
        if (preview) {
          const { columns, ignored } = pickColumns(header, picked);
          const plan = planRows(file.records.slice(1), columns, letter.settings, deps.now());
          // The file's listed names the letter already has, by the import's own query (undisclosed rows
          // never reach this route).
          const held = await heldMatchKeys(db, letter.id, listedKeys(plan.candidates));
          const { ready, onLetter } = setApartOnLetter(plan.candidates, held);
          shown = { ...shown, preview: { outcomes: plan.outcomes, candidates: ready, onLetter, ignored } };
        }
        return page(request, reply, user, letter, shown, values, { problem }, status);
      };
      const csrf = csrfProblem(request);
      if (csrf) return mapping(csrf, 403);
      try {
        pickColumns(header, picked);
      } catch (error) {
        if (error instanceof EndorsementFileError) return mapping(request.t("import.nameRequired"), 400);
        throw error;
      }
      if (typed(request.body, "step") !== "import") return mapping(undefined, 200, true);
      try {
        const report = await importSignatures(
          deps,
          {
            actor: actorOf(user),
            letterSlug: slug,
            file,
            picked,
            status: values.status,
            note: values.note || undefined,
          },
          deps.now(),
        );
        await rm(path.join(folder, kept!.name), { force: true });
        return page(request, reply, user, letter, { kind: "report", report }, values);
      } catch (error) {
        if (error instanceof ImportRefused) return mapping(refusalMessage(request, error), 409);
        throw error;
      }
    },
  );

  // Which of the browser preview's listed match keys the letter already holds. A POST so the names' keys
  // stay out of URLs and logs; CSRF-checked (the x-csrf-token header) like every POST.
  app.post<{ Params: Params }>(
    "/admin/letters/:id/import/on-letter",
    { bodyLimit: ON_LETTER_BATCH * (MAX_KEY_LENGTH * 3 + 8) + 64 },
    async (request, reply) => {
      const { letter } = await letterOf(request);
      const parsed = onLetterBody.safeParse(request.body);
      if (!parsed.success) throw new AppError("validation");
      const held = await heldMatchKeys(db, letter.id, [...new Set(parsed.data.keys)]);
      return reply.header("cache-control", "no-store").send({ held: [...held] });
    },
  );

  app.post<{ Params: Params }>(
    "/admin/letters/:id/import/rows",
    { config: { csrf: "rerender" }, bodyLimit: MAX_PREPARED_BYTES },
    async (request, reply) => {
      const { user, letter } = await letterOf(request);
      const values = valuesOf(request.body);
      const upload = (problem: string, status: number) =>
        page(request, reply, user, letter, { kind: "upload" }, values, { problem }, status);
      const csrf = csrfProblem(request);
      if (csrf) return upload(csrf, 403);
      let prepared: unknown;
      try {
        prepared = JSON.parse(typed(request.body, "payload") ?? "");
      } catch {
        return upload(request.t("import.malformed"), 400);
      }
      try {
        const report = await importSealedSignatures(
          deps,
          {
            actor: actorOf(user),
            letterId: letter.id,
            status: values.status,
            note: values.note || undefined,
            prepared,
          },
          deps.now(),
        );
        return page(request, reply, user, letter, { kind: "report", report }, values);
      } catch (error) {
        if (error instanceof ImportRefused)
          return upload(error.usage ? request.t("import.malformed") : refusalMessage(request, error), 400);
        throw error;
      }
    },
  );
};
