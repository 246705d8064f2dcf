/*
 * Opens sealed endorsements in the coordinator's browser (DESIGN.md, non-negotiable 1: the private key never
 * touches the server). The coordinator picks the coalition key file and types its passphrase; the file is
 * read here, the passphrase stretched here (argon2id, libsodium-sumo's crypto_pwhash, served from our
 * origin), and each row's sealed identity and contact opened here with crypto_box_seal_open.
 *
 * The private key is held in one variable of this closure: never in a form field, never in storage, never
 * in a request (this script makes none). It is wiped on "Forget", when the page is left or reloaded, on
 * signing out, and after 15 minutes without activity. Opened text goes into table cells with textContent
 * only (it is typed by strangers), never into form fields, so the review form posts ids and decisions only.
 */
(() => {
  const form = document.getElementById("key-loader");
  if (!form || !window.WebAssembly || !window.crypto) return;
  form.hidden = false;

  const IDLE_MS = 15 * 60 * 1000;
  const messages = form.dataset;
  const status = form.querySelector("[data-key-status]");
  const forgetButton = form.querySelector("[data-forget]");
  const fileInput = document.getElementById("key-file");
  const passphraseInput = document.getElementById("key-passphrase");

  let sodium;
  let privateKey = null;
  let idleTimer;

  const say = (text) => {
    status.textContent = text;
  };

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });

  const loadSodium = async () => {
    if (sodium) return sodium;
    await loadScript(`${messages.sodiumBase}libsodium-sumo.js`);
    await loadScript(`${messages.sodiumBase}libsodium-wrappers-sumo.js`);
    await window.sodium.ready;
    sodium = window.sodium;
    return sodium;
  };

  /** The same checks as src/crypto/coalition-key.ts parseKeyFile, plus: it must be this campaign's key. */
  const parseKeyFile = (text) => {
    let file;
    try {
      file = JSON.parse(text);
    } catch {
      return { error: messages.msgInvalid };
    }
    const ok =
      file &&
      file.format === "undersigned-coalition-key" &&
      file.version === 1 &&
      typeof file.publicKey === "string" &&
      file.kdf?.algorithm === "argon2id13" &&
      Number.isSafeInteger(file.kdf.opslimit) &&
      Number.isSafeInteger(file.kdf.memlimit) &&
      typeof file.kdf.salt === "string" &&
      file.cipher?.algorithm === "xsalsa20poly1305" &&
      typeof file.cipher.nonce === "string" &&
      typeof file.cipher.ciphertext === "string" &&
      // A tampered file must not make the tab allocate gigabytes.
      file.kdf.memlimit <= 1024 * 1024 * 1024 &&
      file.kdf.opslimit <= 20;
    if (!ok) return { error: messages.msgInvalid };
    if (file.publicKey !== messages.publicKey) return { error: messages.msgOther };
    return { file };
  };

  const B64 = () => sodium.base64_variants.ORIGINAL;

  const openKey = (file, passphrase) => {
    const key = sodium.crypto_pwhash(
      sodium.crypto_secretbox_KEYBYTES,
      passphrase.normalize("NFC"),
      sodium.from_base64(file.kdf.salt, B64()),
      file.kdf.opslimit,
      file.kdf.memlimit,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
    try {
      return sodium.crypto_secretbox_open_easy(
        sodium.from_base64(file.cipher.ciphertext, B64()),
        sodium.from_base64(file.cipher.nonce, B64()),
        key,
      );
    } catch {
      return null;
    } finally {
      sodium.memzero(key);
    }
  };

  const publicKeyBytes = () => sodium.from_base64(messages.publicKey, B64());

  const openBox = (box) => {
    if (!box) return undefined;
    try {
      const bytes = sodium.crypto_box_seal_open(sodium.from_base64(box, B64()), publicKeyBytes(), privateKey);
      return JSON.parse(sodium.to_string(bytes));
    } catch {
      return null;
    }
  };

  const cellsOf = (row) => ({
    name: row.querySelector('[data-opened="name"]'),
    details: row.querySelector('[data-opened="details"]'),
    contact: row.querySelector('[data-opened="contact"]'),
  });

  const originals = new Map();

  const fill = (cell, lines) => {
    if (!cell) return;
    if (!originals.has(cell))
      originals.set(
        cell,
        [...cell.childNodes].map((n) => n.cloneNode(true)),
      );
    cell.replaceChildren();
    lines
      .filter((line) => line)
      .forEach((line, i) => {
        if (i > 0) cell.appendChild(document.createElement("br"));
        cell.appendChild(document.createTextNode(line));
      });
  };

  const join = (...parts) => parts.filter((p) => typeof p === "string" && p).join(" · ");

  // Sealed identities hold the country's ISO code, as signatures do; named here in the page's language the
  // way the server names listed ones (src/domain/countries.ts), so an opened row reads "Myanmar", not "MM".
  let regionNames;
  const countryName = (code) => {
    if (typeof code !== "string" || !/^[A-Z]{2}$/.test(code)) return code;
    try {
      regionNames ??= new Intl.DisplayNames([document.documentElement.lang || "en", "en"], {
        type: "region",
      });
      return regionNames.of(code) ?? code;
    } catch {
      return code;
    }
  };

  const openRows = () => {
    // Opened identities of rows that carry an id, for the duplicates page's comparison (compare-undisclosed.js),
    // handed over inside the page only.
    const opened = [];
    for (const row of document.querySelectorAll("tr[data-sealed-contact]")) {
      const cells = cellsOf(row);
      if (row.dataset.sealedIdentity !== undefined) {
        const identity = openBox(row.dataset.sealedIdentity);
        if (identity && row.dataset.id) opened.push({ id: Number(row.dataset.id), identity });
        if (identity === null) fill(cells.name, [messages.msgUnreadable]);
        else if (identity) {
          fill(cells.name, [join(identity.name, identity.name_alt)]);
          fill(cells.details, [
            join(identity.kind, identity.category, countryName(identity.country)),
            identity.website,
            identity.affiliation,
          ]);
        }
      }
      const contact = openBox(row.dataset.sealedContact);
      if (contact === null) fill(cells.contact, [messages.msgUnreadable]);
      else if (contact) fill(cells.contact, [contact.contact_person, contact.email, contact.affiliation]);
    }
    document.dispatchEvent(new CustomEvent("sealed-opened", { detail: opened }));
  };

  const forget = (message) => {
    if (privateKey) sodium.memzero(privateKey);
    privateKey = null;
    clearTimeout(idleTimer);
    for (const [cell, nodes] of originals) cell.replaceChildren(...nodes);
    originals.clear();
    document.dispatchEvent(new CustomEvent("sealed-forgotten"));
    forgetButton.hidden = true;
    if (message) say(message);
  };

  const stillHere = () => {
    if (!privateKey) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => forget(messages.msgForgotten), IDLE_MS);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = fileInput.files?.[0];
    const passphrase = passphraseInput.value;
    // Out of the page at once: the field is not where the passphrase should linger.
    passphraseInput.value = "";
    if (!chosen || !passphrase) return;
    say(messages.msgOpening);
    const parsed = parseKeyFile(await chosen.text());
    fileInput.value = "";
    if (parsed.error) return say(parsed.error);
    await loadSodium();
    // Let the status paint before the (seconds-long) key stretching blocks the tab.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const opened = openKey(parsed.file, passphrase);
    if (!opened) return say(messages.msgWrong);
    if (!sodium.memcmp(sodium.crypto_scalarmult_base(opened), publicKeyBytes())) {
      sodium.memzero(opened);
      return say(messages.msgInvalid);
    }
    forget();
    privateKey = opened;
    openRows();
    // The import page's keyed match keys (src/crypto/keyed-match-key.ts): the campaign's match secret is
    // derived here and handed over in the page; the private key itself stays in this closure.
    if (messages.matchSecret) {
      const secret = sodium.crypto_generichash(32, sodium.from_string(messages.matchSecret), privateKey);
      document.dispatchEvent(new CustomEvent("coalition-match-secret", { detail: secret }));
    }
    forgetButton.hidden = false;
    say(messages.msgOpened);
    stillHere();
  });

  forgetButton.addEventListener("click", () => forget(messages.msgForgotten));
  for (const type of ["pointerdown", "keydown", "scroll", "focusin"]) {
    document.addEventListener(type, stillHere, { passive: true });
  }
  // Leaving, reloading or signing out (the sign-out button submits a form) all drop the key.
  window.addEventListener("pagehide", () => forget());
  document.addEventListener("submit", (event) => {
    // The attribute, not the .action property: a control named "action" (the review form's Approve and
    // Reject buttons) shadows the property with itself.
    const action = event.target.getAttribute("action") ?? "";
    if (event.target !== form && action.endsWith("/admin/logout")) forget();
  });
})();
