import { sealBox } from "./sealed-box.ts";

/*
 * Progressive enhancement for the sign form: seals the identity (undisclosed endorsements) and the contact
 * (every endorsement) in the browser, with a crypto_box_seal to the campaign's public key, so those fields
 * never reach the server in the clear. Without JavaScript (or in a browser without module scripts) the
 * server seals them on receipt; the stored result is the same. The email address is still sent as typed:
 * the confirmation mail needs it.
 *
 * If anything fails, the form is sent as typed and the server seals it: sealing here is an extra, never a
 * condition for signing. Text is sealed as typed; the coordinators' tools convert Zawgyi when they open it.
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

function enhance(form: HTMLFormElement, publicKey: string): void {
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | RadioNodeList | null;
  const value = (name: string) => {
    const element = field(name);
    if (!element) return "";
    return element instanceof RadioNodeList ? element.value : element.value.trim();
  };
  const visibility = () => (field("visibility") ? value("visibility") : "listed");

  /** Only complete forms are sealed: an incomplete one goes as typed so the server can say what is missing. */
  const complete = (group: "identity" | "contact") =>
    Array.from(form.querySelectorAll<HTMLInputElement>(`[data-seal="${group}"][data-required]`)).every(
      (element) => element.value.trim() !== "",
    );
  const emailValid = () => {
    const email = field("email");
    return email instanceof HTMLInputElement && email.value.trim() !== "" && email.validity.valid;
  };

  const setHidden = (name: string, sealed: string) => {
    let input = form.querySelector<HTMLInputElement>(`input[type="hidden"][name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = sealed;
  };

  let sending = false;
  // Disabled fields are not submitted at all, so the server never receives them.
  let disabled: HTMLInputElement[] = [];
  const withhold = (names: string[]) => {
    for (const name of names) {
      const element = field(name);
      if (element && !(element instanceof RadioNodeList) && !element.disabled) {
        element.disabled = true;
        disabled.push(element);
      }
    }
  };
  // Coming back to the page (back button, page cache) must show a form that can be used again.
  window.addEventListener("pageshow", () => {
    for (const element of disabled) element.disabled = false;
    disabled = [];
    sending = false;
  });

  form.addEventListener("submit", (event) => {
    if (sending) return;
    const undisclosed = visibility() === "undisclosed";
    if (!emailValid() || (undisclosed && (!value("name") || !complete("identity"))) || !complete("contact"))
      return;
    event.preventDefault();
    sending = true;
    try {
      if (undisclosed) {
        setHidden(
          "sealed_identity",
          sealJson(
            {
              v: 1,
              kind: field("kind") ? value("kind") : undefined,
              name: value("name"),
              name_alt: value("name_alt"),
              website: value("website"),
              category: value("category"),
              country: value("country"),
              affiliation: value("affiliation"),
            },
            publicKey,
          ),
        );
        withhold(IDENTITY_FIELDS);
      }
      setHidden(
        "sealed_contact",
        sealJson(
          {
            v: 1,
            contact_person: value("contact_person"),
            email: value("email"),
            affiliation: undisclosed ? undefined : value("affiliation"),
          },
          publicKey,
        ),
      );
      withhold(undisclosed ? ["contact_person"] : ["contact_person", "affiliation"]);
    } catch {
      // Sealing is an extra: send the form as typed and let the server seal it.
      for (const element of disabled) element.disabled = false;
      disabled = [];
    }
    form.submit();
  });
}

// The same bundle is imported in Node by the test that opens its boxes with libsodium: no document there.
if (typeof document !== "undefined") {
  const form = document.querySelector<HTMLFormElement>("form[data-seal-key]");
  // A browser without crypto.getRandomValues fails inside sealBox, and the catch above sends the form as typed.
  if (form?.dataset.sealKey) enhance(form, form.dataset.sealKey);
}
