import { countryName } from "../../domain/countries.ts";
import { suggestDuplicates } from "../../domain/duplicates.ts";

/*
 * Duplicate suggestions for undisclosed endorsements, computed in the coordinator's browser (DESIGN.md,
 * non-negotiable 1): the server never holds their names, nor a key derived from them, so it
 * cannot compare them. Once open-sealed.js has opened the sealed identities with the coalition key, it hands
 * them over in the page ("sealed-opened"); this compares them with each other and with the listed names,
 * with the very match key and fuzzy score the server uses for listed ones (src/domain/duplicates.ts), and
 * shows each likely pair side by side with a merge form. The form posts the two ids, nothing else; the
 * earlier endorsement is kept, as everywhere. Everything is dropped when the key is forgotten.
 * Opened text goes into the page with textContent only.
 */

type Opened = {
  id: number;
  identity: {
    name?: string;
    name_alt?: string;
    kind?: string;
    category?: string;
    country?: string;
    website?: string;
  };
};

type Item = {
  id: number;
  name: string;
  undisclosed: boolean;
  state: string;
  confirmedAt: string;
  details: string;
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function enhance(section: HTMLElement): void {
  const messages = section.dataset;
  const pairsBox = section.querySelector<HTMLElement>("[data-undisclosed-pairs]")!;
  const mergeTemplate = section.querySelector<HTMLTemplateElement>("template[data-merge-form]")!;
  const listed = (
    JSON.parse(messages.listed ?? "[]") as {
      id: number;
      name: string;
      state: string;
      confirmedAt: string | null;
    }[]
  ).map(
    (l): Item => ({
      id: l.id,
      name: l.name,
      undisclosed: false,
      state: l.state,
      confirmedAt: l.confirmedAt ?? "",
      details: "",
    }),
  );
  const rowOf = (id: number) => section.querySelector<HTMLElement>(`tr[data-id="${id}"]`);
  const locale = document.documentElement.lang === "my" ? "my" : "en";

  const side = (item: Item, label: string) => {
    const box = element("div");
    box.append(element("p", label, "muted"));
    const name = element("p");
    name.append(element("strong", item.name));
    box.append(name);
    if (item.details) box.append(element("p", item.details));
    const state = item.state === "approved" ? messages.msgApproved : messages.msgConfirmed;
    box.append(
      element(
        "p",
        [item.undisclosed ? messages.msgUndisclosed : "", state, item.confirmedAt.slice(0, 10)]
          .filter(Boolean)
          .join(" · "),
        "muted",
      ),
    );
    return box;
  };

  document.addEventListener("sealed-opened", (event) => {
    const opened = (event as CustomEvent<Opened[]>).detail;
    const items: Item[] = [...listed];
    for (const { id, identity } of opened) {
      const row = rowOf(id);
      if (!row || typeof identity.name !== "string") continue;
      items.push({
        id,
        name: identity.name,
        undisclosed: true,
        state: row.dataset.state ?? "",
        confirmedAt: row.dataset.confirmedAt ?? "",
        details: [
          identity.name_alt,
          identity.category,
          identity.country ? countryName(identity.country, locale) : undefined,
          identity.website,
        ]
          .filter((part) => typeof part === "string" && part)
          .join(" · "),
      });
    }
    // Pairs of two listed names are the server's, above; here only those with an undisclosed side.
    const pairs = suggestDuplicates(items).filter((p) => p.first.undisclosed || p.second.undisclosed);
    pairsBox.replaceChildren();
    if (pairs.length === 0) {
      pairsBox.append(element("p", messages.msgNone));
      return;
    }
    for (const pair of pairs) {
      // Earliest first: the one a merge keeps (merge-signatures.ts orders the same way).
      const [keep, away] = [pair.first, pair.second].sort(
        (a, b) => a.confirmedAt.localeCompare(b.confirmedAt) || a.id - b.id,
      ) as [Item, Item];
      const section = element("section", undefined, "duplicate-pair");
      section.dataset.undisclosedPair = "";
      section.append(
        element(
          "p",
          (messages.msgScore ?? "").replace("{score}", String(Math.round(pair.score * 100))),
          "muted",
        ),
      );
      const sides = element("div", undefined, "side-by-side");
      sides.append(side(keep, messages.msgKeep ?? ""), side(away, messages.msgMergeAway ?? ""));
      section.append(sides);
      const form = mergeTemplate.content.firstElementChild!.cloneNode(true) as HTMLFormElement;
      (form.elements.namedItem("first") as HTMLInputElement).value = String(keep.id);
      (form.elements.namedItem("second") as HTMLInputElement).value = String(away.id);
      section.append(form);
      pairsBox.append(section);
    }
  });
  document.addEventListener("sealed-forgotten", () => pairsBox.replaceChildren());
}

const section = document.querySelector<HTMLElement>("[data-undisclosed-comparison]");
if (section) enhance(section);
