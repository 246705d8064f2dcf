/*
 * myanmar-tools (Zawgyi detection, used by the console's scripts through src/domain/names.ts) ships a Node
 * build only, which decodes its model with `new Buffer(base64, "base64")`. The bundler injects this in
 * place of Node's Buffer for the console bundles: the same bytes, decoded by the browser.
 */
export function Buffer(base64: string, _encoding: "base64"): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
