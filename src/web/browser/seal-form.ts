import { sealBox } from "./sealed-box.ts";

/*
 * Progressive enhancement for the sign form: seals the identity (undisclosed endorsements) and the contact
 * (every endorsement) in the browser, with a crypto_box_seal to the campaign's public key, so those fields
 * never reach the server in the clear. Without JavaScript (or in a browser without module scripts) the
 * server seals them on receipt; the stored result is the same. The email address is still sent as typed:
 * the confirmation mail needs it.
 *
 * With JavaScript on, nothing typed into a sealed field leaves the browser in the clear, whatever else is
 * wrong with the form: what is missing or mistyped is found here and shown in the page (messages translated
 * by the server into data-msg-* attributes), and nothing is sent until it is right. A form that passes is
 * sealed and posted with fetch; if the server still refuses it (an address it finds invalid, a rate limit,
 * a stale stamp), its re-rendered form (which never saw the sealed fields) replaces this one's fields and
 * messages, and the plaintext typed into the sealed fields is put back from this page, so nothing is lost.
 * Only a browser that cannot seal at all (no crypto.getRandomValues) sends the form as typed, like a
 * browser without JavaScript, and the server seals on receipt. Text is sealed as typed; the coordinators'
 * tools convert Zawgyi when they open it.
 *
 * This file is bundled (with the noble libraries) into src/web/assets/sign/seal-form.js by
 * `npm run build:browser`; sealBox is exported from the bundle so a test can open its output with libsodium.
 */

export { sealBox };

/** Standard base64, as the server and the CLI read sealed boxes (see src/crypto/seal.ts). */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function sealJson(object: Record<string, string | number | undefined>, publicKey: string): string {
  const present = Object.fromEntries(Object.entries(object).filter(([, v]) => v !== "" && v !== undefined));
  return toBase64(sealBox(new TextEncoder().encode(JSON.stringify(present)), fromBase64(publicKey)));
}

const IDENTITY_FIELDS = ["name", "name_alt", "website", "category", "country", "affiliation"];

type Problem = { field: string; message: string };

/** What the form holds now, field by field, to put back what the server's re-rendered form lacks. */
type Typed = Map<string, string>;

function enhance(form: HTMLFormElement, publicKey: string): void {
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | RadioNodeList | null;
  const value = (name: string) => {
    const element = field(name);
    if (!element) return "";
    return element instanceof RadioNodeList ? element.value : element.value.trim();
  };
  const message = (key: string) => form.dataset[key] ?? "";
  // A threshold endorsement is undisclosed until the coalition lists it: its identity is sealed too.
  const sealsIdentity = () => ["undisclosed", "threshold"].includes(value("visibility"));

  /** What the server would refuse for want of a value: found here, so the form is never sent to learn it. */
  const problems = (): Problem[] => {
    const found: Problem[] = [];
    const radios = (name: string) => field(name) instanceof RadioNodeList;
    if (radios("kind") && value("kind") === "")
      found.push({ field: "kind", message: message("msgChooseKind") });
    for (const element of Array.from(form.querySelectorAll<HTMLInputElement>("[data-required]"))) {
      if (element.value.trim() === "") found.push({ field: element.name, message: message("msgRequired") });
    }
    const email = field("email");
    if (email instanceof HTMLInputElement) {
      if (email.value.trim() === "") found.push({ field: "email", message: message("msgRequired") });
      else if (!email.validity.valid || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim()))
        found.push({ field: "email", message: message("msgEmail") });
    }
    if (radios("visibility") && value("visibility") === "")
      found.push({ field: "visibility", message: message("msgChooseVisibility") });
    const updates = field("updates");
    if (sealsIdentity() && updates instanceof HTMLInputElement && updates.checked)
      found.push({ field: "updates", message: message("msgUpdates") });
    const consent = field("consent");
    if (consent instanceof HTMLInputElement && !consent.checked)
      found.push({ field: "consent", message: message("msgConsent") });
    return found;
  };

  /** Messages this script put in the page: removed before each attempt. */
  const clearMessages = () => {
    for (const element of Array.from(
      document.querySelectorAll("[data-client-message], [data-error-summary]"),
    ))
      element.remove();
  };
  /**
   * The error summary, as the server renders it (heading, one link per problem to its field), taking the
   * focus; a message about the whole form (the connection failed) goes under the heading instead.
   */
  const summary = (text: string, found: Problem[] = []) => {
    for (const old of Array.from(document.querySelectorAll("[data-error-summary]"))) old.remove();
    const box = document.createElement("div");
    box.className = "error-summary";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    box.dataset.clientMessage = "";
    box.dataset.errorSummary = "";
    const heading = document.createElement("h2");
    heading.textContent = message("msgSummary");
    box.appendChild(heading);
    if (found.length === 0) {
      const paragraph = document.createElement("p");
      paragraph.textContent = text;
      box.appendChild(paragraph);
    } else {
      const list = document.createElement("ul");
      for (const problem of found) {
        const link = document.createElement("a");
        link.href = `#field-${problem.field}`;
        link.textContent = problem.message;
        const item = document.createElement("li");
        item.appendChild(link);
        list.appendChild(item);
      }
      box.appendChild(list);
    }
    (document.querySelector("main h1") ?? form).before(box);
    if (message("msgTitle")) document.title = message("msgTitle");
    box.focus();
  };
  const showProblems = (found: Problem[]) => {
    for (const element of Array.from(form.querySelectorAll("[aria-invalid]")))
      element.removeAttribute("aria-invalid");
    for (const problem of found) {
      const element = field(problem.field);
      const controls =
        element instanceof RadioNodeList
          ? Array.from(element).filter((node): node is HTMLInputElement => node instanceof HTMLInputElement)
          : element
            ? [element]
            : [];
      const control = controls[0];
      if (!control) continue;
      const container = control.closest(".field");
      const note = document.createElement("span");
      note.className = "field-error";
      note.dataset.clientMessage = "";
      note.id = `field-${problem.field}-client-error`;
      note.textContent = problem.message;
      const legend = container?.querySelector("legend") ?? null;
      if (legend) legend.after(note);
      else container?.insertBefore(note, control.closest("label.check") ?? control);
      for (const each of controls) {
        each.setAttribute("aria-invalid", "true");
        each.setAttribute("aria-describedby", note.id);
      }
    }
    summary(message("msgSummary"), found);
  };

  const typedNow = (): Typed => {
    const typed: Typed = new Map();
    for (const element of Array.from(form.querySelectorAll<HTMLInputElement>("input[name], select[name]"))) {
      if (element.type !== "hidden" && element.type !== "radio" && element.type !== "checkbox")
        typed.set(element.name, element.value);
    }
    return typed;
  };

  /**
   * The server refused the form: take its re-rendered form (fresh CSRF token and stamp, messages, converted
   * Zawgyi of fields it saw) and put back what it never received, the fields sealed here.
   */
  const takeRerendered = (html: string, typed: Typed) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    const rerendered = page.querySelector<HTMLFormElement>("form[data-seal-key]");
    if (!rerendered) {
      summary(message("msgSendFailed"));
      return;
    }
    for (const sealed of Array.from(
      rerendered.querySelectorAll('input[name^="sealed_"], input[name="identity_salt"]'),
    ))
      sealed.remove();
    for (const notice of Array.from(page.querySelectorAll('main [role="alert"], main [role="status"]'))) {
      if (rerendered.contains(notice) || notice.closest("form")) continue;
      const copy = document.importNode(notice, true) as HTMLElement;
      copy.dataset.clientMessage = "";
      form.before(copy);
    }
    form.replaceChildren(...Array.from(rerendered.childNodes).map((node) => document.importNode(node, true)));
    for (const [name, typedValue] of typed) {
      const element = form.querySelector<HTMLInputElement>(`[name="${name}"]`);
      if (element && element.value === "" && typedValue !== "") element.value = typedValue;
    }
    const refused = document.querySelector<HTMLElement>("[data-error-summary]");
    if (refused) {
      document.title = page.title;
      refused.focus();
    } else form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  };

  let sending = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sending) return;
    clearMessages();
    const found = problems();
    if (found.length > 0) {
      showProblems(found);
      return;
    }
    const undisclosed = sealsIdentity();
    const typed = typedNow();
    const body = new URLSearchParams();
    try {
      // The log commitment's salt goes inside the sealed record and beside it (sign-letter.ts).
      const salt = undisclosed ? toBase64(crypto.getRandomValues(new Uint8Array(32))) : undefined;
      const identity = undisclosed
        ? sealJson(
            {
              v: 1,
              kind: field("kind") ? value("kind") : undefined,
              name: value("name"),
              name_alt: value("name_alt"),
              website: value("website"),
              category: value("category"),
              country: value("country"),
              affiliation: value("affiliation"),
              salt,
            },
            publicKey,
          )
        : undefined;
      const contact = sealJson(
        {
          v: 1,
          contact_person: value("contact_person"),
          email: value("email"),
          affiliation: undisclosed ? undefined : value("affiliation"),
        },
        publicKey,
      );
      // Sealed fields are left out of the body entirely, so the server never receives them.
      const withheld = new Set(
        undisclosed ? [...IDENTITY_FIELDS, "contact_person"] : ["contact_person", "affiliation"],
      );
      new FormData(form).forEach((entry, name) => {
        if (
          !withheld.has(name) &&
          !name.startsWith("sealed_") &&
          name !== "identity_salt" &&
          typeof entry === "string"
        )
          body.append(name, entry);
      });
      if (identity && salt) {
        body.append("sealed_identity", identity);
        body.append("identity_salt", salt);
      }
      body.append("sealed_contact", contact);
    } catch {
      // This browser cannot seal (no crypto.getRandomValues): send the form as typed, as a browser without
      // JavaScript would, and let the server seal it on receipt.
      form.submit();
      return;
    }
    sending = true;
    fetch(form.action, { method: "POST", body, credentials: "same-origin" })
      .then(async (response) => {
        if (response.redirected) {
          window.location.assign(response.url);
          return;
        }
        takeRerendered(await response.text(), typed);
        sending = false;
      })
      .catch(() => {
        summary(message("msgSendFailed"));
        sending = false;
      });
  });
}

// The same bundle is imported in Node by the test that opens its boxes with libsodium: no document there.
if (typeof document !== "undefined") {
  const form = document.querySelector<HTMLFormElement>("form[data-seal-key]");
  if (form?.dataset.sealKey) enhance(form, form.dataset.sealKey);
}
