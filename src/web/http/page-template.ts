import { randomBytes } from "node:crypto";

/*
 * A page that is the same for every visitor but for a few short values (the sign form: its CSRF token and
 * its signed timestamp) is rendered once, with a marker where each value goes, and the values are spliced
 * into the text for each visitor. Rendering the form with its letter text costs far more than the request
 * around it; splicing costs a string join.
 *
 * Escaping stays safe: the markers are random per process (no letter text can hold one by chance or
 * design), a page in which a marker does not appear exactly once is refused, and a value is spliced only
 * when it is made of characters that mean nothing in HTML text or a quoted attribute.
 */

const MARKER_PREFIX = `slot${randomBytes(12).toString("hex")}`;
const SAFE_VALUE = /^[A-Za-z0-9_.-]{1,200}$/;

export type PageTemplate<S extends string> = { parts: string[]; order: S[] };

/** The marker to render in a slot's place. */
export function slotMarker(slot: string): string {
  return `${MARKER_PREFIX}${slot}x`;
}

/** Cuts a page rendered with `slotMarker(slot)` for each slot into the text between them. */
export function pageTemplate<S extends string>(html: string, slots: readonly S[]): PageTemplate<S> {
  const found = slots
    .map((slot) => {
      const marker = slotMarker(slot);
      const at = html.indexOf(marker);
      if (at < 0 || html.indexOf(marker, at + 1) >= 0)
        throw new Error(`page template: slot ${slot} must appear exactly once`);
      return { slot, at, length: marker.length };
    })
    .sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const { at, length } of found) {
    parts.push(html.slice(from, at));
    from = at + length;
  }
  parts.push(html.slice(from));
  return { parts, order: found.map((f) => f.slot) };
}

/** The page with every slot filled. */
export function fillTemplate<S extends string>(template: PageTemplate<S>, values: Record<S, string>): string {
  let html = template.parts[0]!;
  template.order.forEach((slot, i) => {
    const value = values[slot];
    if (!SAFE_VALUE.test(value)) throw new Error(`page template: unsafe value for slot ${slot}`);
    html += value + template.parts[i + 1]!;
  });
  return html;
}
