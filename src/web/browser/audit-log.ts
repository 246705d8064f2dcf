import { type AuditedRecord, auditUndisclosed, type LogAudit } from "../../domain/tlog/audit.ts";
import { utf8 } from "../../domain/tlog/bytes.ts";
import { parseEntry } from "../../domain/tlog/entries.ts";

/*
 * The console's log audit page (views/admin/log-audit-page.tsx): once open-sealed.js has opened the letter's
 * sealed undisclosed records with the coalition key in this browser ("sealed-opened"), this applies the rule
 * of `undersigned audit-count` (domain/tlog/audit.ts) to them and to the letter's log entries, and shows the
 * verdict. Nothing is sent anywhere; the opened records are dropped when the key is forgotten.
 */

export type SealedRow = {
  id: number;
  state: string;
  counted: boolean;
  sealed: string;
  storedCommit: string | null;
};

/** The verdict from what the page carries and what the key opened (rows missing from `opened` did not open). */
export function auditInPage(
  letter: string,
  entries: readonly [number, string][],
  rows: readonly SealedRow[],
  opened: ReadonlyMap<number, { salt?: unknown }>,
): LogAudit {
  const records: AuditedRecord[] = rows.map((row) => ({ ...row, opened: opened.get(row.id) ?? null }));
  const parsed = entries.map(([index, text]) => ({ index, entry: parseEntry(utf8(text)) }));
  return auditUndisclosed(letter, parsed, records);
}

function enhance(section: HTMLElement): void {
  const messages = section.dataset;
  const results = section.querySelector<HTMLElement>("[data-audit-results]")!;
  const status = section.querySelector<HTMLElement>("[data-log-audit-status]")!;
  const waitingText = status.textContent ?? "";
  const entries = JSON.parse(messages.entries ?? "[]") as [number, string][];
  const rows: SealedRow[] = Array.from(section.querySelectorAll<HTMLElement>("tr[data-id]")).map((tr) => ({
    id: Number(tr.dataset.id),
    state: tr.dataset.state ?? "",
    counted: tr.dataset.counted === "1",
    sealed: tr.dataset.sealedIdentity ?? "",
    storedCommit: tr.dataset.commit || null,
  }));
  const fill = (key: string, params: Record<string, number>) =>
    (messages[key] ?? "").replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
  const line = (text: string, className?: string) => {
    const item = document.createElement("li");
    item.textContent = text;
    if (className) item.className = className;
    results.appendChild(item);
  };

  document.addEventListener("sealed-opened", (event) => {
    const opened = new Map<number, { salt?: unknown }>();
    for (const { id, identity } of (event as CustomEvent<{ id: number; identity: { salt?: unknown } }[]>)
      .detail)
      opened.set(id, identity);
    const audit = auditInPage(messages.letter ?? "", entries, rows, opened);
    results.replaceChildren();
    status.textContent = fill("msgCounting", { counting: audit.counting, matched: audit.matched });
    if (audit.unsalted > 0) line(fill("msgUnsalted", { count: audit.unsalted }));
    if (audit.waiting > 0) line(fill("msgWaiting", { count: audit.waiting }));
    if (audit.problems.length === 0) line(`✓ ${messages.msgOk ?? ""}`, "ok");
    else {
      line(`✗ ${fill("msgFailed", { count: audit.problems.length })}`, "bad");
      for (const problem of audit.problems) line(problem, "bad");
    }
    section.dataset.verdict = audit.problems.length === 0 ? "ok" : "failed";
  });
  document.addEventListener("sealed-forgotten", () => {
    results.replaceChildren();
    status.textContent = waitingText;
    delete section.dataset.verdict;
  });
}

if (typeof document !== "undefined") {
  const section = document.querySelector<HTMLElement>("[data-log-audit]");
  if (section) enhance(section);
}
