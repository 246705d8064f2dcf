import { sha256 } from "@noble/hashes/sha2.js";
import { keyedMatchKeyer } from "../../crypto/keyed-match-key.ts";
import { guessColumns } from "../../domain/column-guesses.ts";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "../../domain/endorsement-file.ts";
import { EndorsementFileUnreadable, readEndorsementFile } from "../../domain/endorsement-file-reader.ts";
import {
  EndorsementFileError,
  listedKeys,
  type PlannedRow,
  pickColumns,
  planRows,
  type RowOutcome,
  setApartOnLetter,
} from "../../domain/endorsement-import.ts";
import type { ImportLetter } from "../../domain/endorsement-row-check.ts";
import type { DateOrder, FileDateOrder } from "../../domain/signed-at.ts";
import { element, preparedRows, renderAnswers, renderDates, translate } from "./import-questions.ts";

/*
 * The console's import page with JavaScript (src/web/views/admin/import-page.tsx): the upload form is taken
 * over so the file never leaves this browser. It is read here (CSV or XLSX, with the same reader as the
 * CLI and the server), its columns guessed and mapped here, every row checked here with the same checkRow
 * (so the preview is the import's own verdict), and then:
 *
 * - listed rows are sent with their public fields (they will be published anyway), their contact sealed;
 * - undisclosed rows are sent as two sealed boxes (identity and contact, crypto_box_seal to the campaign's
 *   public key, the same payloads the CLI seals), their kind and their time; nothing else;
 * - refused and repeated rows as their number and a reason code.
 *
 * The file's SHA-256 (as readEndorsementFile defines its input) lets the server recognise a file imported
 * before. Text read from the file goes into the page with textContent only.
 *
 * To show which listed rows the letter already has, the preview asks the server about their match keys
 * (listed rows only, at most ON_LETTER_BATCH a request): an undisclosed row's name, or its key, which is
 * derived from the name, is never sent. The import decides again on the server in any case.
 *
 * A form's answers (answer-guesses.ts) get a menu each, set to the importer's guess: the rows take what the
 * coordinator leaves chosen there. Dates the file does not settle (signed-at.ts) get a question; unanswered,
 * those rows go without a date. When the coordinator opens the coalition key on this page (open-sealed.js
 * hands over the campaign's match secret, never the key), undisclosed rows carry their keyed match keys
 * (crypto/keyed-match-key.ts): the preview asks the server which of those the letter holds, and the import
 * stores them, so an updated export adds only its new rows.
 */

type Messages = Record<string, string>;

const SAMPLE_ROWS = 10;
const PROBLEM_ROWS_SHOWN = 500;
/** Match keys per request to /import/on-letter (the server takes no more). */
const ON_LETTER_BATCH = 500;
/** Marks a keyed match key among the preview's lookups (a plain match key never starts with it). */
const KEYED_PREFIX = "keyed:";

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function enhance(upload: HTMLFormElement, panel: HTMLElement): void {
  const rowsForm = panel.closest("form")!;
  const publicKey = panel.dataset.publicKey ?? "";
  const letter = JSON.parse(panel.dataset.letter ?? "{}") as ImportLetter;
  const t = translate(JSON.parse(panel.dataset.messages ?? "{}") as Messages);
  const status = upload.querySelector<HTMLElement>("[data-import-status]")!;
  const mapping = panel.querySelector<HTMLElement>("[data-mapping]")!;
  const previewBox = panel.querySelector<HTMLElement>("[data-preview]")!;
  const payload = rowsForm.querySelector<HTMLInputElement>('input[name="payload"]')!;
  const importButton = panel.querySelector<HTMLButtonElement>("[data-import-rows]")!;
  const onLetterUrl = panel.dataset.onLetterUrl ?? "";
  const letterId = Number(panel.dataset.letterId ?? "0");
  const answersBox = panel.querySelector<HTMLElement>("[data-answers]")!;
  const datesBox = panel.querySelector<HTMLElement>("[data-dates]")!;
  const csrf = rowsForm.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? "";
  upload.querySelectorAll<HTMLElement>("[data-without-script]").forEach((note) => {
    note.hidden = true;
  });
  upload.querySelectorAll<HTMLElement>("[data-with-script]").forEach((note) => {
    note.hidden = false;
  });
  const say = (text: string) => {
    status.textContent = text;
  };

  let file: { records: string[][]; digest: string } | undefined;
  let plan:
    | { outcomes: RowOutcome[]; candidates: PlannedRow[]; ignored: string[]; dates: FileDateOrder }
    | undefined;
  const selects = new Map<EndorsementColumn, HTMLSelectElement>();
  // What the server said about this file's listed match keys; reset with each new file.
  let asked = new Set<string>();
  let held = new Set<string>();
  // The coordinator's answers: per column and folded answer, a canonical value or "" (reject the rows).
  let chosenAnswers = new Map<string, string>();
  let dates: DateOrder | undefined;
  // Keyed match keys of undisclosed rows, while the coalition key is open on this page.
  let keyer: ((matchKey: string) => string) | undefined;
  let checkFailed = false;
  let checking = false;

  /** Asks the server which of these listed rows' keys the letter holds, a batch at a time. */
  async function askOnLetter(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += ON_LETTER_BATCH) {
      const batch = keys.slice(i, i + ON_LETTER_BATCH);
      // Keyed keys go under their own name: the server compares them with keyed keys only.
      const keyed = batch.filter((k) => k.startsWith(KEYED_PREFIX)).map((k) => k.slice(KEYED_PREFIX.length));
      const plain = batch.filter((k) => !k.startsWith(KEYED_PREFIX));
      const response = await fetch(onLetterUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ keys: plain, keyed }),
      });
      if (!response.ok) throw new Error(`on-letter: ${response.status}`);
      const answer = (await response.json()) as { held?: unknown; heldKeyed?: unknown };
      for (const key of batch) asked.add(key);
      if (Array.isArray(answer.held))
        for (const key of answer.held) if (typeof key === "string") held.add(key);
      if (Array.isArray(answer.heldKeyed))
        for (const key of answer.heldKeyed) if (typeof key === "string") held.add(KEYED_PREFIX + key);
    }
  }

  /** Checks the keys not asked about yet, then shows the preview again (a failure is not retried). */
  function checkOnLetter(keys: string[]): void {
    const current = file;
    checking = true;
    askOnLetter(keys)
      .catch(() => {
        checkFailed = true;
      })
      .finally(() => {
        if (file !== current) return;
        checking = false;
        renderPreview();
      });
  }

  const picked = () => {
    const chosen: Partial<Record<EndorsementColumn, number>> = {};
    for (const [column, select] of selects) if (select.value !== "") chosen[column] = Number(select.value);
    return chosen;
  };

  const problemText = (o: RowOutcome) =>
    o.code ? t(`import.problem.${o.code}`, o.params ?? {}) : (o.reason ?? "");

  function renderPreview(): void {
    if (!file) return;
    previewBox.replaceChildren();
    const [header, ...body] = file.records;
    try {
      const { columns, ignored } = pickColumns(header!, picked());
      const answers = renderAnswers(
        answersBox,
        t,
        { header: header!, body },
        columns,
        chosenAnswers,
        renderPreview,
      );
      plan = { ...planRows(body, columns, letter, new Date(), { dates, answers }), ignored };
      renderDates(datesBox, t, plan.candidates, plan.dates, dates, (answer) => {
        dates = answer;
        renderPreview();
      });
    } catch (error) {
      if (!(error instanceof EndorsementFileError)) throw error;
      plan = undefined;
      importButton.disabled = true;
      previewBox.append(element("p", t("import.nameRequired"), { class: "field-error", role: "alert" }));
      return;
    }
    // Listed rows' keys and undisclosed rows' keyed keys are looked up, never an undisclosed row's own key.
    const keyedOf = (c: PlannedRow) => (keyer ? KEYED_PREFIX + keyer(c.key) : undefined);
    const lookups = [
      ...listedKeys(plan.candidates),
      ...plan.candidates.flatMap((c) => (c.data.visibility === "undisclosed" && keyer ? [keyedOf(c)!] : [])),
    ];
    const unasked = lookups.filter((key) => !asked.has(key));
    const pending = unasked.length > 0 && !checkFailed;
    if (pending && !checking) checkOnLetter(unasked);
    const split = setApartOnLetter(plan.candidates, held);
    const onLetter = [
      ...split.onLetter,
      ...split.ready.filter((c) => c.data.visibility === "undisclosed" && held.has(keyedOf(c) ?? "")),
    ].sort((a, b) => a.row - b.row);
    const ready = split.ready.filter((c) => !onLetter.includes(c));
    importButton.disabled = ready.length === 0 && !pending;
    const count = (outcome: RowOutcome["outcome"]) =>
      plan!.outcomes.filter((o) => o.outcome === outcome).length;
    const onLetterText = pending
      ? t("import.onLetterChecking")
      : checkFailed
        ? t("import.onLetterUnknown")
        : t("import.onLetterSummary", { count: onLetter.length });
    previewBox.append(
      element("h2", t("import.previewTitle")),
      element(
        "p",
        `${t("import.previewSummary", {
          ready: ready.length,
          undisclosed: ready.filter((c) => c.data.visibility === "undisclosed").length,
          duplicates: count("duplicate"),
          rejected: count("rejected"),
        })} ${onLetterText} ${t("import.previewLater")}`,
        { "data-preview-summary": "", ...(pending ? { "aria-busy": "true" } : {}) },
      ),
    );
    if (plan.ignored.length > 0)
      previewBox.append(
        element("p", t("import.ignored", { columns: plan.ignored.join(", ") }), { class: "muted" }),
      );
    if (plan.candidates.some((c) => c.data.visibility === "undisclosed"))
      previewBox.append(
        element("p", keyer ? t("import.keyOpen") : t("import.keyClosed"), {
          "data-key-state": keyer ? "open" : "closed",
        }),
      );
    if (plan.outcomes.length > 0) {
      const table = element("table", undefined, { class: "import-problems" });
      const head = element("tr");
      head.append(
        element("th", t("import.row"), { scope: "col" }),
        element("th", t("import.problemColumn"), { scope: "col" }),
      );
      table.append(element("thead"), element("tbody"));
      table.tHead!.append(head);
      for (const o of plan.outcomes.slice(0, PROBLEM_ROWS_SHOWN)) {
        const tr = element("tr", undefined, { "data-row": String(o.row) });
        tr.append(
          element("td", String(o.row)),
          element("td", `${t(`import.outcome.${o.outcome}`)}: ${problemText(o)}`),
        );
        table.tBodies[0]!.append(tr);
      }
      previewBox.append(scroll(table));
    }
    if (onLetter.length > 0) {
      const table = element("table", undefined, { class: "import-on-letter" });
      table.append(element("caption", t("import.onLetterTitle")), element("thead"), element("tbody"));
      const head = element("tr");
      for (const key of ["import.row", "import.column.name", "import.onLetterColumn"])
        head.append(element("th", t(key), { scope: "col" }));
      table.tHead!.append(head);
      for (const c of onLetter.slice(0, PROBLEM_ROWS_SHOWN)) {
        const tr = element("tr", undefined, { "data-row": String(c.row), "data-on-letter": "" });
        tr.append(
          element("td", String(c.row)),
          element(
            "td",
            c.data.visibility === "undisclosed" ? `${c.data.name} (${t("review.undisclosed")})` : c.data.name,
          ),
          element("td", t("import.onLetterMark")),
        );
        table.tBodies[0]!.append(tr);
      }
      previewBox.append(scroll(table));
    }
    if (ready.length > 0) {
      const table = element("table");
      table.append(element("caption", t("import.sample")), element("thead"), element("tbody"));
      const head = element("tr");
      for (const key of [
        "import.row",
        "import.column.name",
        "import.column.kind",
        "import.column.visibility",
        "import.column.country",
        "import.column.signed_at",
      ])
        head.append(element("th", t(key), { scope: "col" }));
      table.tHead!.append(head);
      // The sample, then every row whose date is left out, so the coordinator sees them before deciding.
      const shown = [
        ...ready.slice(0, SAMPLE_ROWS),
        ...ready.slice(SAMPLE_ROWS).filter((c) => c.data.undatedFrom),
      ];
      for (const c of shown.slice(0, PROBLEM_ROWS_SHOWN)) {
        const tr = element("tr");
        const visibility =
          c.data.visibility === "undisclosed" ? t("import.undisclosedSealed") : t("review.listed");
        for (const text of [
          String(c.row),
          c.data.name,
          c.data.kind,
          visibility,
          c.data.country ?? "",
          c.data.undatedFrom ? `${c.data.undatedFrom}: ${t("import.undatedMark")}` : (c.data.signedAt ?? ""),
        ])
          tr.append(element("td", text));
        if (c.data.undatedFrom) tr.dataset.undated = "";
        table.tBodies[0]!.append(tr);
      }
      previewBox.append(scroll(table));
    }
  }

  const scroll = (table: HTMLElement) => {
    const box = element("div", undefined, { class: "table-scroll" });
    box.append(table);
    return box;
  };

  document.addEventListener("coalition-match-secret", (event) => {
    const secret = (event as CustomEvent<Uint8Array>).detail;
    keyer = secret instanceof Uint8Array && letterId > 0 ? keyedMatchKeyer(secret, letterId) : undefined;
    renderPreview();
  });
  document.addEventListener("sealed-forgotten", () => {
    keyer = undefined;
    renderPreview();
  });

  function renderMapping(header: string[]): void {
    mapping.replaceChildren();
    selects.clear();
    const guesses = guessColumns(header);
    for (const column of ENDORSEMENT_COLUMNS) {
      const field = element("div", undefined, { class: "field" });
      const id = `map-${column}`;
      // No name: the mapping stays in the page; only the prepared rows are posted.
      const select = element("select", undefined, { id });
      select.append(element("option", t("import.notInFile"), { value: "" }));
      header.forEach((h, i) => {
        const option = element("option", t("import.columnOption", { n: i + 1, header: h }), {
          value: String(i),
        });
        if (guesses[column] === i) option.selected = true;
        select.append(option);
      });
      select.addEventListener("change", renderPreview);
      selects.set(column, select);
      field.append(element("label", t(`import.column.${column}`), { for: id }), select);
      mapping.append(field);
    }
  }

  upload.addEventListener("submit", async (event) => {
    // The file is never sent by this form once the script runs: not even by a double click.
    event.preventDefault();
    const chosen = upload.querySelector<HTMLInputElement>('input[type="file"]')?.files?.[0];
    if (!chosen) return say(t("import.fileMissing"));
    say(t("import.reading"));
    try {
      const read = await readEndorsementFile(new Uint8Array(await chosen.arrayBuffer()));
      const digest = hex(sha256(read.digestInput));
      file = { records: read.records, digest };
      asked = new Set();
      held = new Set();
      chosenAnswers = new Map();
      dates = undefined;
      checkFailed = false;
      checking = false;
    } catch (error) {
      file = undefined;
      panel.hidden = true;
      if (error instanceof EndorsementFileUnreadable)
        return say(t(`import.file.${error.code}`, error.params));
      throw error;
    }
    say("");
    renderMapping(file.records[0]!);
    renderPreview();
    panel.hidden = false;
    mapping.querySelector("select")?.focus();
  });

  let sending = false;
  rowsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sending || !file || !plan || plan.candidates.length === 0) return;
    sending = true;
    say(t("import.sealing"));
    const rows = preparedRows(plan.candidates, publicKey, keyer);
    payload.value = JSON.stringify({
      v: 1,
      digest: file.digest,
      ignored: plan.ignored,
      outcomes: plan.outcomes.map((o) => ({
        row: o.row,
        outcome: o.outcome,
        code: o.code,
        params: o.params ?? {},
      })),
      rows,
    });
    rowsForm.submit();
  });
  window.addEventListener("pageshow", () => {
    sending = false;
  });
}

const upload = document.getElementById("import-upload");
const panel = document.getElementById("import-browser");
// Sealing needs the browser's random numbers; without them the page works as it does without script.
if (upload instanceof HTMLFormElement && panel && typeof window.crypto?.getRandomValues === "function")
  enhance(upload, panel);
