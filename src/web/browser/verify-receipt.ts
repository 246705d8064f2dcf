import { ENDORSEMENT_TYPE } from "../../domain/tlog/entries.ts";
import { openNote, parseCheckpoint, parseVerifierKey } from "../../domain/tlog/note.ts";
import { checkReceipt, isConsistent, type ReceiptProblem } from "../../domain/tlog/receipt.ts";
import { tilePath } from "../../domain/tlog/tiles.ts";
import { meetsWitnessPolicy, type WitnessPolicy, witnessPolicy } from "../../domain/tlog/witness.ts";

/*
 * The verify page's script: checks a signer's receipt in the browser with the same code as
 * `undersigned verify RECEIPT` (domain/tlog/receipt.ts). The receipt never leaves the page. What the page
 * fetches is public and the same for every reader: the log's key, its newest checkpoint, and the hash tiles
 * a consistency proof from the receipt's tree size needs (which reveal that size, shared by every receipt
 * issued while the log had it, never the entry). Requests carry no cookie and no referrer.
 *
 * Bundled into src/web/assets/log/verify-receipt.js by `npm run build:browser`.
 */

const BAD: Record<ReceiptProblem, string> = {
  format: "msgBadFormat",
  entry: "msgBadEntry",
  signature: "msgBadSignature",
  inclusion: "msgBadInclusion",
};

async function fetchBytes(path: string, fresh = false): Promise<Uint8Array> {
  const response = await fetch(path, {
    credentials: "omit",
    referrerPolicy: "no-referrer",
    cache: fresh ? "no-store" : "default",
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function start(form: HTMLFormElement, results: HTMLElement): void {
  const message = (key: string, params: Record<string, string | number> = {}) =>
    (form.dataset[key] ?? "").replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
  const say = (ok: boolean, text: string) => {
    const item = document.createElement("li");
    item.className = ok ? "ok" : "bad";
    item.textContent = `${ok ? "✓" : "✗"} ${text}`;
    results.appendChild(item);
  };
  const decoder = new TextDecoder();

  async function check(text: string, policy: WitnessPolicy): Promise<void> {
    const key = parseVerifierKey(decoder.decode(await fetchBytes("/log/key")).trim());
    const receipt = checkReceipt(text, key ? [key] : []);
    if (!receipt.ok) return say(false, message(BAD[receipt.problem]));
    say(true, message("msgOkSigned"));
    say(true, message("msgOkIncluded", { index: receipt.index, size: receipt.checkpoint.size }));
    const { entry } = receipt;
    if (entry.letter !== form.dataset.logLetter) say(false, message("msgBadLetter", { name: entry.letter }));
    else if (entry.type === ENDORSEMENT_TYPE) say(true, message("msgOkLetter", { day: entry.day }));
    const note = decoder.decode(await fetchBytes("/log/checkpoint", true));
    const opened = key ? openNote(note, [key]) : null;
    const newest = opened ? parseCheckpoint(opened.text) : null;
    if (!key || !newest) return say(false, message("msgBadSignature"));
    if (policy.witnesses.length > 0) {
      // The same rule as `undersigned verify --witness … --witnesses K` (domain/tlog/witness.ts).
      const witnessed = meetsWitnessPolicy(note, key, policy);
      const counts = { count: witnessed.cosignedBy.length, needed: policy.threshold };
      if (witnessed.ok) say(true, message("msgOkWitnesses", counts));
      else if (!meetsWitnessPolicy(note, key, { ...policy, threshold: 0 }).ok)
        return say(false, message("msgBadCosignature"));
      else say(false, message("msgBadWitnesses", counts));
    }
    const consistent = await isConsistent(receipt.checkpoint, newest, (tile) =>
      fetchBytes(`/log/${tilePath(tile)}`),
    );
    say(consistent, message(consistent ? "msgOkConsistent" : "msgBadConsistency", { size: newest.size }));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    results.replaceChildren();
    const status = document.createElement("li");
    status.textContent = message("msgChecking");
    results.appendChild(status);
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    const typed = (form.elements.namedItem("receipt") as HTMLTextAreaElement).value;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const threshold = field("threshold");
    const policy = witnessPolicy(
      field("witnesses").split(/\s+/).filter(Boolean),
      threshold === "" ? undefined : Number(threshold),
    );
    if ("problem" in policy) {
      status.remove();
      return say(false, message("msgBadWitnessPolicy", { problem: policy.problem }));
    }
    (file ? file.text() : Promise.resolve(typed))
      .then((text) => check(text, policy))
      .catch(() => say(false, message("msgFetchFailed")))
      .finally(() => status.remove());
  });
  // Shown only once submitting is ours to handle: a native submission would put the receipt in a URL.
  form.hidden = false;
}

const form = document.querySelector<HTMLFormElement>("form[data-verify-receipt]");
const results = document.querySelector<HTMLElement>("[data-verify-results]");
if (form && results) start(form, results);
