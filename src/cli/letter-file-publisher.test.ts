import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { useTempDirs } from "../../test/temp-dirs.ts";
import { LetterFileError } from "../domain/letter-file.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { exportLetterFiles, importLetterFile } from "./letters.ts";

/*
 * The publisher block of a letter file (name, website, about, labelled links, and a logo by its path
 * beside the file) through `import letter` and `export letter`, on both databases.
 */

const now = new Date("2026-03-01T10:00:00.000Z");
const tempDir = useTempDirs("undersigned-publisher-");

const letterFile = (slug: string, logo: string) => `---
title: Rivers Belong to Their People
slug: ${slug}
language: en
signers: organisations
publisher:
  name: Example Rivers Coalition
  url: https://rivers.example.org
  about: A coalition of river communities since 2015.
  links:
    - label: Website
      url: https://rivers.example.org
    - label: Facebook
      url: https://facebook.example.com/rivers
  logo: ${logo}
---
We, the undersigned {{total}} organisations, ask you to suspend the permits.
`;

/** A small real PNG, as a coalition's designer would hand it over. */
const logoPng = () =>
  sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .png()
    .toBuffer();

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the publisher block of letter files on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("imports the publisher with its logo from beside the file, and export → import changes nothing", async () => {
      const dir = tempDir();
      const slug = `rivers-${dialect.name}`;
      writeFileSync(path.join(dir, "logo.png"), await logoPng());
      const file = path.join(dir, "rivers.md");
      writeFileSync(file, letterFile(slug, "logo.png"));
      const dataDir = store.dataDir();
      await importLetterFile(store.current(), { file, dataDir }, now);
      const { id } = await store
        .current()
        .db.selectFrom("letters")
        .select("id")
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      const letter = (await getLetterForEditing(store.current().db, id))!;
      expect(letter.publisher).toMatchObject({
        name: "Example Rivers Coalition",
        url: "https://rivers.example.org",
        links: [
          { label: "Website", url: "https://rivers.example.org" },
          { label: "Facebook", url: "https://facebook.example.com/rivers" },
        ],
        logoUrl: expect.stringMatching(/^\/uploads\/[0-9a-f]{64}\.png$/),
      });
      expect(letter.translations[0]!.publisherAbout).toBe("A coalition of river communities since 2015.");

      const exported = await exportLetterFiles(store.current(), slug, dataDir);
      expect(exported.map((f) => f.name)).toEqual([`${slug}.md`, `${slug}-logo.png`]);
      expect(exported[0]!.text).toContain(`  logo: ${slug}-logo.png\n`);
      const out = tempDir();
      for (const f of exported) writeFileSync(path.join(out, f.name), f.text);
      const again = await importLetterFile(
        store.current(),
        { file: path.join(out, `${slug}.md`), dataDir },
        now,
      );
      expect(again.outcome).toBe("unchanged");
      expect(await getLetterForEditing(store.current().db, id)).toEqual(letter);
      expect(await exportLetterFiles(store.current(), slug, dataDir)).toEqual(exported);
    });

    it("refuses a missing logo or one that is not an image before writing anything", async () => {
      const dir = tempDir();
      const slug = `no-logo-${dialect.name}`;
      const file = path.join(dir, "rivers.md");
      writeFileSync(file, letterFile(slug, "missing.png"));
      const dataDir = store.dataDir();
      await expect(importLetterFile(store.current(), { file, dataDir }, now)).rejects.toThrow(
        LetterFileError,
      );
      writeFileSync(path.join(dir, "fake.png"), "not an image at all");
      writeFileSync(file, letterFile(slug, "fake.png"));
      await expect(importLetterFile(store.current(), { file, dataDir }, now)).rejects.toThrow(
        /publisher: logo: .*fake\.png is not a PNG, JPEG or WebP image/,
      );
      const left = await store
        .current()
        .db.selectFrom("letters")
        .select("id")
        .where("slug", "=", slug)
        .execute();
      expect(left).toEqual([]);
      expect(readFileSync(file, "utf8")).toContain("fake.png");
    });
  });
}
