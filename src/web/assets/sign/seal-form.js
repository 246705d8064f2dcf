/*
 * Progressive enhancement for the sign form: seals the identity (undisclosed endorsements) and the contact
 * (every endorsement) in the browser, with libsodium's crypto_box_seal to the campaign's public key, so
 * those fields never reach the server in the clear. Without JavaScript the server seals them on receipt;
 * the stored result is the same. The email address is still sent as typed: the confirmation mail needs it.
 *
 * libsodium (served from this origin) is fetched only when the signer submits. If anything fails, the form
 * is sent as typed and the server seals it: sealing here is an extra, never a condition for signing.
 * Text is sealed as typed; the coordinators' tools convert Zawgyi when they open it.
 */
(() => {
  const form = document.querySelector("form[data-seal-key]");
  if (!form || !window.Promise || !window.crypto) return;

  const field = (name) => form.elements.namedItem(name);
  const value = (name) => {
    const element = field(name);
    if (!element) return "";
    if (element instanceof RadioNodeList) return element.value;
    return element.value.trim();
  };
  const visibility = () => (field("visibility") ? value("visibility") : "listed");

  let sodium;
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
    const base = form.dataset.sodiumBase;
    await loadScript(`${base}libsodium.js`);
    await loadScript(`${base}libsodium-wrappers.js`);
    await window.sodium.ready;
    sodium = window.sodium;
    return sodium;
  };

  const compact = (object) => {
    const out = {};
    for (const [key, v] of Object.entries(object)) if (v !== "" && v !== undefined) out[key] = v;
    return out;
  };

  /** Only complete forms are sealed: an incomplete one goes as typed so the server can say what is missing. */
  const complete = (group) => {
    for (const element of form.querySelectorAll(`[data-seal="${group}"][data-required]`)) {
      if (!element.value.trim()) return false;
    }
    return true;
  };

  const setHidden = (name, sealed) => {
    let input = form.querySelector(`input[type="hidden"][name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = sealed;
  };

  const clear = (names) => {
    for (const name of names) {
      const element = field(name);
      // Disabled fields are not submitted at all, so the server never receives them.
      if (element && !(element instanceof RadioNodeList)) element.disabled = true;
    }
  };

  let sending = false;
  form.addEventListener("submit", async (event) => {
    if (sending) return;
    const undisclosed = visibility() === "undisclosed";
    if (!value("email") || (undisclosed && (!value("name") || !complete("identity"))) || !complete("contact"))
      return;
    event.preventDefault();
    sending = true;
    try {
      const s = await loadSodium();
      const key = s.from_base64(form.dataset.sealKey, s.base64_variants.ORIGINAL);
      const sealJson = (object) =>
        s.to_base64(
          s.crypto_box_seal(s.from_string(JSON.stringify(object)), key),
          s.base64_variants.ORIGINAL,
        );
      if (undisclosed) {
        setHidden(
          "sealed_identity",
          sealJson(
            compact({
              v: 1,
              kind: field("kind") ? value("kind") : undefined,
              name: value("name"),
              name_alt: value("name_alt"),
              website: value("website"),
              category: value("category"),
              country: value("country"),
              affiliation: value("affiliation"),
            }),
          ),
        );
        clear(["name", "name_alt", "website", "category", "country", "affiliation"]);
      }
      setHidden(
        "sealed_contact",
        sealJson(
          compact({
            v: 1,
            contact_person: value("contact_person"),
            email: value("email"),
            affiliation: undisclosed ? undefined : value("affiliation"),
          }),
        ),
      );
      clear(undisclosed ? ["contact_person"] : ["contact_person", "affiliation"]);
    } catch {
      // Sealing is an extra: send the form as typed and let the server seal it.
    }
    form.submit();
  });
})();
