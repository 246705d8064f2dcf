import {
  buildKeyFile,
  fingerprintWith,
  type KeyStrength,
  keyFileName,
  keyFileText,
  type Sodium,
} from "../../crypto/key-file-format.ts";

/*
 * Makes a campaign's coalition key in the coordinator's browser (the console's "Coalition key" page), for
 * coordinators without a shell on the server. The key pair is generated here with libsodium-sumo (served
 * from our origin, as on the review page), the private key is locked with the passphrase into a key file in
 * exactly the format `undersigned keygen` writes (key-file-format.ts, shared with the CLI, "moderate"
 * argon2id), and the file is offered as a download from a Blob. Only once the coordinator has taken the
 * download does the "Set this key" button appear, and it posts the public key alone, through the page's
 * paste form. The passphrase inputs have no name, the private key bytes are wiped as soon as the file is
 * built, and this script makes no request of its own besides loading libsodium.
 */

type Maker = {
  form: HTMLFormElement;
  messages: DOMStringMap;
  status: HTMLElement;
  strength: HTMLElement;
  passphrase: HTMLInputElement;
  again: HTMLInputElement;
  made: HTMLElement;
  madeFingerprint: HTMLElement;
  download: HTMLAnchorElement;
  setMade: HTMLButtonElement;
  pasteForm: HTMLFormElement;
  pasteInput: HTMLInputElement;
};

/**
 * A rough hint, not a rule: length counts most, and a few words of mixed kinds help. Only the minimum
 * length is enforced (here and in key-file-format.ts).
 */
export function passphraseStrength(passphrase: string, min: number): "weak" | "fair" | "good" {
  const words = passphrase.trim().split(/\s+/).filter(Boolean).length;
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}\s]/u, /\s/u, /[^\p{ASCII}]/u].filter((re) =>
    re.test(passphrase),
  ).length;
  if (passphrase.length < min) return "weak";
  if (passphrase.length >= 20 && (words >= 4 || kinds >= 3)) return "good";
  return "fair";
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

/**
 * What the page does with the passphrase: a fresh key pair, its private key locked into the key file (the
 * CLI's format, "moderate" unless a test asks for less), and wiped. Exported so a test can run the shipped
 * bundle in Node and open its file with the CLI's openKeyFile.
 */
export function makeKeyFile(
  s: Sodium,
  passphrase: string,
  options: { now: Date; campaign: string | null; strength?: KeyStrength },
): { text: string; fileName: string; publicKey: string; fingerprint: string } {
  const pair = s.crypto_box_keypair();
  try {
    const file = buildKeyFile(s, passphrase, pair, { ...options, strength: options.strength ?? "moderate" });
    return {
      text: keyFileText(file),
      fileName: keyFileName(options.campaign),
      publicKey: file.publicKey,
      fingerprint: fingerprintWith(s, file.publicKey),
    };
  } finally {
    s.memzero(pair.privateKey);
  }
}

let sodiumReady: Promise<Sodium> | undefined;
function loadSodium(base: string): Promise<Sodium> {
  sodiumReady ??= (async () => {
    await loadScript(`${base}libsodium-sumo.js`);
    await loadScript(`${base}libsodium-wrappers-sumo.js`);
    const s = (window as unknown as { sodium: Sodium }).sodium;
    await s.ready;
    return s;
  })();
  return sodiumReady;
}

/** The link is made here: without script there is nothing to download, and no empty link in the page. */
function makeDownloadLink(slot: HTMLElement, label: string): HTMLAnchorElement {
  const link = document.createElement("a");
  link.className = "button";
  link.textContent = label;
  slot.appendChild(link);
  return link;
}

function find(): Maker | undefined {
  const form = document.getElementById("key-maker") as HTMLFormElement | null;
  const pasteForm = document.getElementById("key-paste-form") as HTMLFormElement | null;
  if (!form || !pasteForm || !window.WebAssembly || !window.crypto) return undefined;
  const q = <T extends Element>(selector: string, root: ParentNode = form): T => {
    const found = root.querySelector<T>(selector);
    if (!found) throw new Error(`key maker: no ${selector}`);
    return found;
  };
  return {
    form,
    messages: form.dataset,
    status: q("[data-maker-status]"),
    strength: q("[data-strength]"),
    passphrase: q("#new-passphrase"),
    again: q("#new-passphrase-again"),
    made: q("[data-made]"),
    madeFingerprint: q("[data-made-fingerprint]"),
    download: makeDownloadLink(q("[data-download]"), form.dataset.msgDownload ?? ""),
    setMade: q("[data-set-made]"),
    pasteForm,
    pasteInput: q('input[name="publicKey"]', pasteForm),
  };
}

function start(m: Maker): void {
  m.form.hidden = false;
  const min = Number(m.messages.minLength) || 12;
  const campaign = m.messages.campaign ?? null;
  let url: string | undefined;
  let publicKey: string | undefined;

  const say = (text: string | undefined) => {
    m.status.textContent = text ?? "";
  };

  m.passphrase.addEventListener("input", () => {
    const value = m.passphrase.value;
    const strength = passphraseStrength(value, min);
    m.strength.textContent = value
      ? ((strength === "good"
          ? m.messages.msgGood
          : strength === "fair"
            ? m.messages.msgFair
            : m.messages.msgWeak) ?? "")
      : "";
  });

  m.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const passphrase = m.passphrase.value;
    if (passphrase.length < min) return say(m.messages.msgTooShort);
    if (passphrase !== m.again.value) return say(m.messages.msgDiffer);
    const submit = m.form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    say(m.messages.msgMaking);
    // Let the status paint before argon2id holds the main thread for a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      const s = await loadSodium(m.messages.sodiumBase ?? "/admin/assets/");
      const made = makeKeyFile(s, passphrase, { now: new Date(), campaign });
      publicKey = made.publicKey;
      m.passphrase.value = "";
      m.again.value = "";
      m.strength.textContent = "";
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([made.text], { type: "application/json" }));
      m.download.href = url;
      m.download.download = made.fileName;
      m.madeFingerprint.textContent = made.fingerprint;
      m.made.hidden = false;
      m.form.querySelectorAll<HTMLElement>(".field").forEach((field) => {
        field.hidden = true;
      });
      if (submit) submit.hidden = true;
      say("");
      m.download.focus();
    } catch (error) {
      if (submit) submit.disabled = false;
      say(m.messages.msgFailed);
      console.warn(error);
    }
  });

  // The public key goes to the server only after the file was offered and taken.
  m.download.addEventListener("click", () => {
    if (publicKey) m.setMade.hidden = false;
  });

  m.setMade.addEventListener("click", () => {
    if (!publicKey) return;
    m.pasteInput.value = publicKey;
    m.setMade.disabled = true;
    m.pasteForm.requestSubmit();
  });

  window.addEventListener("pagehide", () => {
    if (url) URL.revokeObjectURL(url);
  });
}

// Imported in Node by the tests (no document there): only the exports are used then.
if (typeof document !== "undefined") {
  const maker = find();
  if (maker) start(maker);
}
