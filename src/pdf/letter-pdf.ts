import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { DATA_DIR_MODE } from "../store/data-dir.ts";
import { writeFileWhole } from "../store/files.ts";
import type { PdfPrinter, PrintResources } from "./chromium.ts";

/** Bumped when the print view changes, so PDFs cached on disk by an older release are not served again. */
const PRINT_LAYOUT_VERSION = 2;

/** One version of a letter to print: what names it, and its print view when it has to be printed. */
export type LetterPdfRequest = {
  letterId: number;
  locale: string;
  /**
   * Everything the print view shows (text, version, counts, publisher, key fingerprint, the list's
   * fingerprint): hashed, it names the PDF, so any change makes a new file and nothing else does.
   */
  version: unknown;
  /** The print view's HTML and the public address it stands for; called only when the PDF is not cached. */
  page: () => Promise<{ html: string; url: string }>;
};

export type LetterPdf = { bytes: Buffer; key: string };

/**
 * A letter's PDF, as readers download it and as delivery attaches it: printed by Chromium from HTML this
 * process renders, and kept under DATA_DIR/pdf-cache named by letter, language and the hash of its version.
 * Concurrent requests for a version not yet printed wait for one print.
 */
export class LetterPdfs {
  private readonly printing = new Map<string, Promise<Buffer>>();
  private readonly cacheDir: string;

  constructor(
    private readonly printer: PdfPrinter,
    dataDir: string,
    private readonly resources: PrintResources,
    /** Told how long each print took, in seconds (the metrics). */
    private readonly printed: (seconds: number) => void = () => {},
  ) {
    this.cacheDir = path.join(dataDir, "pdf-cache");
  }

  /** False when the server has no Chromium: nothing can be printed. */
  get available(): boolean {
    return this.printer.available;
  }

  async pdf(request: LetterPdfRequest): Promise<LetterPdf> {
    const key = createHash("sha256")
      .update(JSON.stringify([PRINT_LAYOUT_VERSION, request.version]))
      .digest("hex")
      .slice(0, 32);
    const file = path.join(this.cacheDir, `${request.letterId}-${request.locale}-${key}.pdf`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return { bytes: cached, key };
    let printing = this.printing.get(file);
    if (!printing) {
      printing = this.print(file, request).finally(() => this.printing.delete(file));
      this.printing.set(file, printing);
    }
    return { bytes: await printing, key };
  }

  private async print(file: string, request: LetterPdfRequest): Promise<Buffer> {
    const page = await request.page();
    const started = performance.now();
    const bytes = await this.printer.printHtml({ ...page, resources: this.resources });
    this.printed((performance.now() - started) / 1000);
    await mkdir(this.cacheDir, { recursive: true, mode: DATA_DIR_MODE });
    // Older prints of this letter in this language are superseded: remove them so the cache stays small.
    const prefix = `${request.letterId}-${request.locale}-`;
    for (const name of await readdir(this.cacheDir)) {
      if (name.startsWith(prefix) && name !== path.basename(file))
        await rm(path.join(this.cacheDir, name), { force: true });
    }
    await writeFileWhole(file, bytes);
    return bytes;
  }
}
