import { type AsyncUnzipOptions, type UnzipCallback, unzipSync } from "fflate";

/*
 * read-excel-file unzips workbooks with fflate's asynchronous unzip, which inflates large entries (a sheet
 * over 512 KB, i.e. a few thousand rows) in a Web Worker built from a blob: URL. The console's CSP allows
 * scripts from our origin only, so that worker would be refused and a large spreadsheet would fail to
 * open. The bundler hands read-excel-file this module instead of fflate: the same API, inflating in the
 * page (a second or two for a 100,000-row sheet, once).
 */
export * from "fflate";

/** fflate's unzip(data, [options,] callback), answered from unzipSync. */
export function unzip(
  data: Uint8Array,
  optionsOrCallback: AsyncUnzipOptions | UnzipCallback,
  maybeCallback?: UnzipCallback,
): () => void {
  const [options, callback] =
    typeof optionsOrCallback === "function" ? [{}, optionsOrCallback] : [optionsOrCallback, maybeCallback!];
  try {
    const files = unzipSync(data, options);
    queueMicrotask(() => callback(null, files));
  } catch (error) {
    queueMicrotask(() => callback(error as Parameters<UnzipCallback>[0], {}));
  }
  return () => {};
}
