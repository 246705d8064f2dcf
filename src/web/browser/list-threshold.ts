/*
 * The console's "List these names" (views/admin/listing-page.tsx). open-sealed.js opens the sealed
 * identities of the threshold endorsements whose condition is met, in this browser, and hands them over in
 * the page ("sealed-opened"). When the form is sent, this adds the public fields (name, second-script name,
 * category, country, website) of the ticked endorsements, and of no others, as hidden fields; contact details
 * and every unticked endorsement stay sealed. Everything opened is dropped when the key is forgotten.
 */

type Identity = Partial<Record<"name" | "name_alt" | "category" | "country" | "website", string>>;

export const PUBLIC_FIELDS = ["name", "name_alt", "category", "country", "website"] as const;

/** The hidden fields for one ticked endorsement: `name_<id>` and so on, only the fields it has. */
export function publicFieldsOf(id: string, identity: Identity): [string, string][] {
  return PUBLIC_FIELDS.flatMap((field) => {
    const value = identity[field];
    return typeof value === "string" && value !== "" ? [[`${field}_${id}`, value] as [string, string]] : [];
  });
}

function enhance(form: HTMLFormElement): void {
  const opened = new Map<string, Identity>();
  document.addEventListener("sealed-opened", (event) => {
    for (const { id, identity } of (event as CustomEvent<{ id: number; identity: Identity }[]>).detail)
      opened.set(String(id), identity);
  });
  document.addEventListener("sealed-forgotten", () => opened.clear());
  form.addEventListener("submit", () => {
    for (const old of Array.from(form.querySelectorAll("input[data-public-field]"))) old.remove();
    for (const box of Array.from(form.querySelectorAll<HTMLInputElement>('input[name="id"]:checked'))) {
      const identity = opened.get(box.value);
      if (!identity) continue;
      for (const [name, value] of publicFieldsOf(box.value, identity)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        input.dataset.publicField = "";
        form.appendChild(input);
      }
    }
  });
}

// The bundle is imported in Node by its test: no document there.
if (typeof document !== "undefined") {
  const form = document.querySelector<HTMLFormElement>("table[data-listing]")?.closest("form");
  if (form) enhance(form);
}
