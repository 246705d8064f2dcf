import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { importSealedSignatures } from "../../../commands/import-sealed-signatures.ts";
import { importSignatures } from "../../../commands/import-signatures.ts";
import { AppError } from "../../../domain/app-error.ts";
import { guessColumns } from "../../../domain/column-guesses.ts";
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
import { heldKeyedMatchKeys, heldMatchKeys } from "../../../store/held-keys.ts";
import { ImportRefused } from "../../../store/import-target.ts";
import type { ImportReport } from "../../../store/imported-rows.ts";
import type { RouteModule } from "../../app-deps.ts";
import {
  type FormAgain,
  type FormPage,
  type FormScope,
  formAgain,
  formRoute,
} from "../../forms/form-route.ts";
import {
  FRESH,
  importValuesOf,
  MAX_KEY_LENGTH,
  mappingOf,
  ON_LETTER_BATCH,
  onLetterBody,
  refusalMessage,
  UPLOAD,
} from "../../forms/import-form.ts";
import { hasUndisclosedRow, importQuestions } from "../../forms/import-questions.ts";
import type { ImportFormValues, ImportPageLetter, ImportStep } from "../../forms/import-steps.ts";
import { typed } from "../../forms/parse-form.ts";
import { actorOf } from "../../http/actor.ts";
import { type ImportLetterOf, importLetterOf } from "../../http/console-letter.ts";
import { keptUploads } from "../../http/kept-upload.ts";
import { WASM_PAGE_CSP } from "../../http/security-headers.ts";
import { importJobs, type JobReporting } from "../../import-jobs.ts";
import { pageContext, sendPage } from "../../render.ts";
import type { SessionUser } from "../../session.ts";
import { requirePermission } from "../../session.ts";
import { ImportPage } from "../../views/admin/import-page.tsx";

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

type Params = { id: string };
type Loaded = ImportLetterOf;
type StepPage = { step: ImportStep };
type Scope = FormScope<{ Params: Params }, Loaded, SessionUser, ImportFormValues>;
type Again = FormAgain<ImportFormValues, StepPage>;
/** An import still running: where its progress page is. */
type Started = { progress: string };
const JOB = /^[A-Za-z0-9_-]{22}$/;

export const importRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;
  const kept = keptUploads(path.join(deps.config.dataDir, "imports"));
  await kept.clear();

  /** The letter the page is about, found whoever asks; `authorise` says whether this person may import. */
  const loadLetter = (request: FastifyRequest<{ Params: Params }>) => importLetterOf(db, request);

  const authorise = (request: FastifyRequest, loaded: Loaded) =>
    requirePermission(request, "signature.edit", loaded.letter.campaignId);

  async function letterOf(request: FastifyRequest<{ Params: Params }>) {
    const loaded = await loadLetter(request);
    return { ...loaded, user: authorise(request, loaded) };
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
    // The key loader opens the coalition key with libsodium-sumo's WebAssembly: under the site's policy
    // the browser refuses to compile it, and opening the key never finished ("Opening the key…" for good).
    reply.header("content-security-policy", WASM_PAGE_CSP);
    return sendPage(
      reply,
      ImportPage({ ctx: pageContext(request, reply), user, letter, step, values, ...extra }),
      status,
    );
  }

  /** A form's page: the step a command chose, or `fallback` (a failed CSRF check shows the form it came from). */
  const render =
    (fallback: (scope: Scope) => ImportStep | Promise<ImportStep>) =>
    async (scope: Scope, status: number, shown: FormPage<ImportFormValues> & Partial<StepPage>) =>
      page(
        scope.request,
        scope.reply,
        scope.user,
        scope.loaded.letter,
        shown.step ?? (await fallback(scope)),
        shown.values,
        { problem: shown.problem },
        status,
      );

  const jobs = importJobs();

  /**
   * Runs an import as a job (import-jobs.ts): its report on this form's page when it ends within the wait,
   * the progress page (a redirect) otherwise; a refusal goes to `refused`.
   */
  async function asJob(
    scope: Scope,
    run: (reporting: JobReporting) => Promise<ImportReport>,
    refused: (error: ImportRefused) => Again,
  ): Promise<Started | Again> {
    const { request, user, loaded } = scope;
    const { id, job } = await jobs.start(
      { letterId: loaded.letter.id, userId: user.id },
      run,
      (error): error is ImportRefused => error instanceof ImportRefused,
      // Only what kind of failure: a database error's text may quote a row.
      (error) => request.log.error({ error: (error as Error).name }, "a console import failed"),
    );
    if (!job.outcome) return { progress: `/admin/letters/${loaded.letter.id}/import/progress/${id}` };
    if ("refused" in job.outcome) return refused(job.outcome.refused);
    return shown(200, { step: { kind: "report", report: job.outcome.report } });
  }

  app.get<{ Params: Params }>("/admin/letters/:id/import", async (request, reply) => {
    const { user, letter } = await letterOf(request);
    await kept.sweep(deps.now());
    return page(request, reply, user, letter, { kind: "upload" }, FRESH);
  });

  app.get<{ Params: Params & { job: string } }>(
    "/admin/letters/:id/import/progress/:job",
    async (request, reply) => {
      const { user, letter } = await letterOf(request);
      const job = JOB.test(request.params.job)
        ? jobs.find(request.params.job, { letterId: letter.id, userId: user.id })
        : undefined;
      if (!job) {
        const problem = request.t("import.progressGone");
        return page(request, reply, user, letter, { kind: "upload" }, FRESH, { problem }, 404);
      }
      if (!job.outcome) {
        const progress = { ...job.progress, seconds: (Date.now() - job.startedAt) / 1000 };
        return page(request, reply, user, letter, { kind: "progress", progress }, FRESH);
      }
      if ("refused" in job.outcome) {
        const problem = refusalMessage(request.t, job.outcome.refused);
        return page(request, reply, user, letter, { kind: "upload" }, FRESH, { problem }, 409);
      }
      return page(request, reply, user, letter, { kind: "report", report: job.outcome.report }, FRESH);
    },
  );

  /** A form's answer on the import page: this step, with this problem. */
  const shown = (status: number, page: { step: ImportStep; problem?: string | undefined }): Again =>
    formAgain<ImportFormValues, StepPage>(status, page);
  const upload = (status: number, problem: string) => shown(status, { step: UPLOAD, problem });

  await app.register(async (uploads) => {
    await uploads.register(multipart, {
      attachFieldsToBody: "keyValues",
      // One byte over the limit is enough to know the file is too large; the rest is drained, not kept.
      limits: { fileSize: MAX_FILE_BYTES + 1, files: 1, fields: 3, parts: 4 },
      throwFileSizeLimit: false,
    });
    formRoute(uploads, deps, "/admin/letters/:id/import", {
      load: loadLetter,
      authorise,
      values: () => FRESH,
      render: render(() => UPLOAD),
      command: async (_values, { request, loaded, now }): Promise<Again> => {
        const bytes = (request.body as Record<string, unknown> | undefined)?.file;
        if (!Buffer.isBuffer(bytes) || bytes.length === 0)
          return upload(400, request.t("import.fileMissing"));
        if (bytes.length > MAX_FILE_BYTES)
          return upload(413, request.t("import.fileTooLarge", { max: MAX_FILE_BYTES / 1024 / 1024 }));
        let file: ReadEndorsementFile;
        try {
          file = await readEndorsementFile(bytes);
        } catch (error) {
          if (error instanceof EndorsementFileUnreadable)
            return upload(400, refusalMessage(request.t, error));
          throw error;
        }
        // Refused before anything is written: the bytes go out of scope with this request.
        if (hasUndisclosedRow(file.records)) return upload(400, request.t("import.undisclosedRefused"));
        const token = await kept.keep(bytes, now);
        const header = file.records[0]!;
        const picked = guessColumns(header);
        const { questions } = importQuestions({}, file.records, picked, loaded.letter.settings, now);
        return shown(200, { step: { kind: "mapping", token, header, picked, questions } });
      },
    });
  });

  formRoute(app, deps, "/admin/letters/:id/import/mapping", {
    load: loadLetter,
    authorise,
    values: importValuesOf,
    // A refused CSRF check shows the mapping again while its file is kept, the upload form once it is gone.
    render: render(async ({ request, loaded, now }) => {
      const upload = await kept.open(typed(request.body, "token") ?? "");
      if (!upload) return UPLOAD;
      const { header, picked, questions } = mappingOf(request.body, upload.file.records, loaded.letter, now);
      return { kind: "mapping", token: upload.token, header, picked, questions };
    }),
    redirect: (started: Started) => started.progress,
    command: async (_values, scope) => {
      const { request, loaded, user, values, now } = scope;
      const { letter } = loaded;
      await kept.sweep(now);
      const opened = await kept.open(typed(request.body, "token") ?? "");
      if (!opened) return upload(410, request.t("import.expired"));
      const { file, token } = opened;
      const { header, picked, answers, dates, questions, undisclosed } = mappingOf(
        request.body,
        file.records,
        letter,
        now,
      );
      const mapping = async (status: number, problem?: string, preview?: boolean) => {
        let step: ImportStep = { kind: "mapping", token, header, picked, questions };
        if (preview) {
          const { columns, ignored } = pickColumns(header, picked);
          const plan = planRows(file.records.slice(1), columns, letter.settings, now, { dates, answers });
          // The file's listed names the letter already has, by the import's own query (undisclosed rows
          // never reach this route).
          const held = await heldMatchKeys(db, letter.id, listedKeys(plan.candidates));
          const { ready, onLetter } = setApartOnLetter(plan.candidates, held);
          step = { ...step, preview: { outcomes: plan.outcomes, candidates: ready, onLetter, ignored } };
        }
        return shown(status, { step, problem });
      };
      try {
        pickColumns(header, picked);
      } catch (error) {
        if (error instanceof EndorsementFileError) return mapping(400, request.t("import.nameRequired"));
        throw error;
      }
      // Answers read as undisclosed: the server must not hold those names; the page with script seals them.
      if (undisclosed) {
        await kept.remove(opened.path);
        return upload(400, request.t("import.undisclosedRefused"));
      }
      if (typed(request.body, "step") !== "import") return mapping(200, undefined, true);
      return asJob(
        scope,
        async (reporting) => {
          const report = await importSignatures(
            deps,
            {
              actor: actorOf(user),
              letterSlug: loaded.slug,
              file,
              picked,
              answers,
              dates,
              status: values.status,
              note: values.note || undefined,
              ...reporting,
            },
            now,
          );
          await kept.remove(opened.path);
          return report;
        },
        (error) =>
          shown(409, {
            step: { kind: "mapping", token, header, picked, questions },
            problem: refusalMessage(request.t, error),
          }),
      );
    },
  });

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
      const heldKeyed = await heldKeyedMatchKeys(db, letter.id, [...new Set(parsed.data.keyed)]);
      return reply.header("cache-control", "no-store").send({ held: [...held], heldKeyed: [...heldKeyed] });
    },
  );

  formRoute(app, deps, "/admin/letters/:id/import/rows", {
    options: { bodyLimit: MAX_PREPARED_BYTES },
    load: loadLetter,
    authorise,
    values: importValuesOf,
    render: render(() => UPLOAD),
    redirect: (started: Started) => started.progress,
    command: async (_values, scope) => {
      const { request, user, loaded, values, now } = scope;
      let prepared: unknown;
      try {
        prepared = JSON.parse(typed(request.body, "payload") ?? "");
      } catch {
        return upload(400, request.t("import.malformed"));
      }
      return asJob(
        scope,
        (reporting) =>
          importSealedSignatures(
            deps,
            {
              actor: actorOf(user),
              letterId: loaded.letter.id,
              status: values.status,
              note: values.note || undefined,
              prepared,
              ...reporting,
            },
            now,
          ),
        (error) =>
          upload(400, error.usage ? request.t("import.malformed") : refusalMessage(request.t, error)),
      );
    },
  });
};
