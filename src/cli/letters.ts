import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { changeLetterState } from "../commands/change-letter-state.ts";
import { createCampaign } from "../commands/create-campaign.ts";
import { createLetter } from "../commands/create-letter.ts";
import { saveLetter } from "../commands/save-letter.ts";
import { uploadPublisherLogo } from "../commands/upload-publisher-logo.ts";
import { type Config, loadConfig, loadDotEnv } from "../config.ts";
import { AppError } from "../domain/app-error.ts";
import {
  categoryLabelLists,
  type LabelTranslations,
  withCategoryLabelLists,
} from "../domain/label-translations.ts";
import { LetterFileError, parseLetterFile, serialiseLetterFile } from "../domain/letter-file.ts";
import { LETTER_SLUG, slugify } from "../domain/letter-settings.ts";
import { openSignOnBlocker } from "../domain/sign-on-rules.ts";
import { MAX_LOGO_BYTES, sniffImageType } from "../domain/uploads.ts";
import { translator } from "../i18n/index.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { openStore, type Store } from "../store/db.ts";
import type { LetterDraft } from "../store/letter-rows.ts";
import { draftFromLetter } from "../store/letter-rows.ts";
import { migrateToLatest } from "../store/migrate.ts";

/*
 * `undersigned import letter FILE.md [--campaign SLUG] [--publish]` and
 * `undersigned export letter SLUG [--out DIR]`: letters as Markdown files with front matter (DESIGN.md,
 * "Letter files"), translations beside them as FILE.<lang>.md. Importing a file whose slug exists updates
 * that letter through the same save command as the console (so an endorsed version is never rewritten),
 * which makes import → export → import a no-op.
 */

export const IMPORT_HELP = `Usage: undersigned import letter FILE.md [--campaign SLUG] [--publish]

Imports a letter written as Markdown with YAML front matter, with its translations from sibling files
FILE.<lang>.md. A letter whose slug exists is updated; otherwise a draft is created in --campaign SLUG
(or, without --campaign, in a campaign named after the letter). --publish publishes it. Prints the slug.`;

export const EXPORT_HELP = `Usage: undersigned export letter SLUG [--out DIR]

Writes the letter as SLUG.md and its translations as SLUG.<lang>.md into DIR; without --out, prints the
main file to standard output.`;

/** A refusal that names what is wrong, printed as one line with exit code 2. */
export class LetterCommandError extends Error {}

export type LetterCliIo = { out: (text: string) => void; err: (line: string) => void; now: () => Date };

export async function importLetterFile(
  store: Store,
  /** `dataDir`: where the publisher's logo is stored (DATA_DIR), for files that name one. */
  input: { file: string; campaign?: string | undefined; publish?: boolean; dataDir?: string },
  now: Date,
): Promise<{ slug: string; outcome: "created" | "saved" | "unchanged" }> {
  const main = { name: input.file, text: await readFile(input.file, "utf8") };
  const parsed = parseLetterFile(main, await siblingTranslations(input.file));
  // Read (and checked) before anything is written, like every other part of the file.
  const logo = await readLogo(input.file, parsed.settings.publisher?.logo ?? null);
  const title = parsed.translations[0]!.title;
  const slug = parsed.settings.slug ?? slugify(title);
  if (!LETTER_SLUG.test(slug))
    throw new LetterFileError(
      input.file,
      2,
      "slug",
      "is needed: the title gives no usable address, add slug: to the front matter",
    );

  const { db } = store;
  const existing = await db
    .selectFrom("letters")
    .select(["id", "state", "campaign_id"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  // Checked before anything is written: an import that cannot be published leaves no letter or campaign.
  if (input.publish) await checkPublishable(store, input.file, existing ?? input.campaign ?? slug);
  const campaignId = await campaignFor(store, input.campaign, existing?.id, slug, title, now);
  const fromFile = {
    slug,
    campaignId,
    defaultLanguage: parsed.settings.language,
    letterDate: parsed.settings.letterDate,
    publicationDate: parsed.settings.publicationDate,
    signers: parsed.settings.signers,
    categories: parsed.settings.categories,
    translations: parsed.translations,
    ...(Object.keys(parsed.settings.countStatements).length > 0
      ? { countStatements: parsed.settings.countStatements }
      : {}),
  };

  const labelsFromFile = (before: LabelTranslations) =>
    withCategoryLabelLists(
      before,
      parsed.settings.categories,
      parsed.translations.map((t) => t.language).filter((l) => l !== parsed.settings.language),
      parsed.settings.categoryLabels,
    );

  const fromPublisher = parsed.settings.publisher;
  const publisher = fromPublisher && {
    name: fromPublisher.name,
    url: fromPublisher.url,
    links: fromPublisher.links,
  };

  let outcome: "created" | "saved" | "unchanged";
  let letterId: number;
  try {
    if (existing) {
      // What the file does not say (moderation, publisher, deadline …) stays as the coordinators set it.
      const letter = (await getLetterForEditing(db, existing.id))!;
      const draft: LetterDraft = {
        ...draftFromLetter(letter),
        ...fromFile,
        ...(publisher ? { publisher } : {}),
        labelTranslations: labelsFromFile(letter.labelTranslations),
      };
      outcome = (await saveLetter({ store }, { actor: "cli", letterId: existing.id, draft }, now)).outcome;
      letterId = existing.id;
    } else {
      const draft: LetterDraft = {
        ...fromFile,
        labelTranslations: labelsFromFile({}),
        requiredFields: [],
        moderation: true,
        allowUndisclosed: true,
        deadline: null,
        publisher: publisher ?? { name: null, url: null, links: [] },
      };
      letterId = (await createLetter({ store }, { actor: "cli", draft }, now)).id;
      outcome = "created";
    }
    if (logo) {
      if (!input.dataDir) throw new LetterCommandError("a letter file with a logo needs DATA_DIR");
      const config = { dataDir: input.dataDir };
      await uploadPublisherLogo({ store, config }, { actor: "cli", letterId, bytes: logo }, now);
    }
    if (input.publish)
      await changeLetterState({ store }, { actor: "cli", letterId, transition: "publish" }, now);
  } catch (error) {
    if (error instanceof AppError && Object.keys(error.fields).length > 0) {
      const t = translator("en");
      const [field, key] = Object.entries(error.fields)[0]!;
      throw new LetterCommandError(`${input.file}: ${field}: ${t(key)}`);
    }
    throw error;
  }
  return { slug, outcome };
}

/** The logo a letter file names, by its path relative to the file; refused unless it is a PNG, JPEG or WebP. */
async function readLogo(file: string, logo: string | null): Promise<Uint8Array | undefined> {
  if (!logo) return undefined;
  const where = path.join(path.dirname(file), logo);
  const bytes = await readFile(where).catch(() => {
    throw new LetterFileError(file, 2, "publisher", `logo: no file ${where}`);
  });
  if (!sniffImageType(bytes))
    throw new LetterFileError(file, 2, "publisher", `logo: ${where} is not a PNG, JPEG or WebP image`);
  if (bytes.length > MAX_LOGO_BYTES)
    throw new LetterFileError(file, 2, "publisher", `logo: ${where} is larger than 2 MB`);
  return new Uint8Array(bytes);
}

/** FILE.<lang>.md beside FILE.md, in language order so errors and exports are stable. */
async function siblingTranslations(file: string) {
  const dir = path.dirname(file);
  const stem = path.basename(file).replace(/\.md$/i, "");
  const pattern = new RegExp(
    `^${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\\.md$`,
  );
  const names = (await readdir(dir)).filter((n) => pattern.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({
      name: path.join(dir, name),
      language: pattern.exec(name)![1]!,
      text: await readFile(path.join(dir, name), "utf8"),
    })),
  );
}

/**
 * Why the letter could not be published, thrown before the import writes anything: a letter already past
 * publication, or a campaign without the coalition's own key (a campaign the import would create has none).
 */
async function checkPublishable(
  store: Store,
  file: string,
  target: { state: string; campaign_id: number } | string,
): Promise<void> {
  if (typeof target === "object" && !["draft", "collecting", "published"].includes(target.state))
    throw new AppError("invalid_state");
  const campaign = await store.db
    .selectFrom("campaigns")
    .select(["public_key", "demo_key"])
    .$if(typeof target === "object", (q) =>
      q.where("id", "=", (target as { campaign_id: number }).campaign_id),
    )
    .$if(typeof target === "string", (q) => q.where("slug", "=", target as string))
    .executeTakeFirst();
  const blocker = openSignOnBlocker({
    publicKey: campaign?.public_key ?? null,
    demoKey: campaign?.demo_key === 1,
  });
  if (blocker)
    throw new LetterCommandError(
      `${file}: state: ${translator("en")(blocker === "needs_key" ? "letters.needsKey" : "letters.demoKeyNoSignOn")} Nothing was imported.`,
    );
}

/** How many names (slug, slug-2, …) an import tries for a letter's own campaign before asking for --campaign. */
const MAX_OWN_CAMPAIGN_TRIES = 20;

async function campaignFor(
  store: Store,
  requested: string | undefined,
  existingLetterId: number | undefined,
  slug: string,
  title: string,
  now: Date,
): Promise<number> {
  const { db } = store;
  if (requested) {
    const campaign = await db
      .selectFrom("campaigns")
      .select("id")
      .where("slug", "=", requested)
      .executeTakeFirst();
    if (!campaign)
      throw new LetterCommandError(`no campaign "${requested}" (create it in the console first)`);
    return campaign.id;
  }
  if (existingLetterId !== undefined) {
    const letter = await db
      .selectFrom("letters")
      .select("campaign_id")
      .where("id", "=", existingLetterId)
      .executeTakeFirstOrThrow();
    return letter.campaign_id;
  }
  // No campaign named: the letter gets one of its own, named by its slug. A campaign of that name left
  // empty by an earlier import that failed is reused; one holding other letters, or a DEMO key, is someone
  // else's (another coalition's key, the example's key on the server): never joined, the next name is taken.
  for (let n = 1; n <= MAX_OWN_CAMPAIGN_TRIES; n++) {
    const candidate = n === 1 ? slug : `${slug}-${n}`;
    const taken = await db
      .selectFrom("campaigns")
      .select(["id", "demo_key"])
      .where("slug", "=", candidate)
      .executeTakeFirst();
    if (!taken)
      return (
        await createCampaign({ store }, { actor: "cli", slug: candidate, name: title, description: "" }, now)
      ).id;
    const letters = await db
      .selectFrom("letters")
      .select("id")
      .where("campaign_id", "=", taken.id)
      .limit(1)
      .execute();
    if (letters.length === 0 && taken.demo_key === 0) return taken.id;
  }
  throw new LetterCommandError(`no free campaign name for "${slug}"; import it with --campaign SLUG`);
}

/**
 * The letter's files: the main one first, then one per translation, then the publisher's logo (as stored,
 * from `dataDir`) named beside them.
 */
export async function exportLetterFiles(
  store: Store,
  slug: string,
  dataDir?: string,
): Promise<{ name: string; text: string | Uint8Array }[]> {
  const row = await store.db.selectFrom("letters").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new LetterCommandError(`no letter "${slug}"`);
  const letter = (await getLetterForEditing(store.db, row.id))!;
  const { logoUrl } = letter.publisher;
  const logo =
    logoUrl && dataDir
      ? {
          name: `${slug}-logo${path.extname(logoUrl)}`,
          text: new Uint8Array(await readFile(path.join(dataDir, "uploads", path.basename(logoUrl)))),
        }
      : undefined;
  const files = serialiseLetterFile({
    settings: {
      slug: letter.slug,
      language: letter.defaultLanguage,
      letterDate: letter.letterDate,
      publicationDate: letter.publicationDate,
      signers: letter.signers,
      categories: letter.categories,
      countStatements: letter.countStatements,
      categoryLabels: categoryLabelLists(letter.labelTranslations, letter.categories),
      publisher: { ...letter.publisher, logo: logo?.name ?? null },
    },
    translations: letter.translations,
  });
  return [
    ...files.map((f) => ({
      name: f.language === letter.defaultLanguage ? `${slug}.md` : `${slug}.${f.language}.md`,
      text: f.text,
    })),
    ...(logo ? [logo] : []),
  ];
}

/** `undersigned import letter …` */
export async function importLetterCommand(argv: string[], io: LetterCliIo): Promise<number> {
  const parsed = parse(argv, { campaign: { type: "string" }, publish: { type: "boolean" } }, IMPORT_HELP, io);
  if (!parsed) return 2;
  const [file] = parsed.positionals;
  if (!file || parsed.positionals.length !== 1) return usage(IMPORT_HELP, io);
  return withStore(io, async (store, config) => {
    const { slug } = await importLetterFile(
      store,
      {
        file,
        campaign: parsed.values.campaign as string | undefined,
        publish: parsed.values.publish === true,
        dataDir: config.dataDir,
      },
      io.now(),
    );
    io.out(`${slug}\n`);
  });
}

/** `undersigned export letter …` */
export async function exportLetterCommand(argv: string[], io: LetterCliIo): Promise<number> {
  const parsed = parse(argv, { out: { type: "string" } }, EXPORT_HELP, io);
  if (!parsed) return 2;
  const [slug] = parsed.positionals;
  if (!slug || parsed.positionals.length !== 1) return usage(EXPORT_HELP, io);
  return withStore(io, async (store, config) => {
    const files = await exportLetterFiles(store, slug, config.dataDir);
    const dir = parsed.values.out as string | undefined;
    if (!dir) {
      io.out(String(files[0]!.text));
      return;
    }
    await mkdir(dir, { recursive: true });
    for (const f of files) await writeFile(path.join(dir, f.name), f.text);
    for (const f of files) io.err(`wrote ${path.join(dir, f.name)}`);
  });
}

function parse(
  argv: string[],
  options: Record<string, { type: "string" | "boolean" }>,
  help: string,
  io: LetterCliIo,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    io.err(`undersigned: ${(error as Error).message}\n${help}`);
    return undefined;
  }
}

function usage(help: string, io: LetterCliIo): number {
  io.err(help);
  return 2;
}

async function withStore(
  io: LetterCliIo,
  run: (store: Store, config: Config) => Promise<void>,
): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  const store = await openStore(config);
  try {
    await migrateToLatest(store.db);
    await run(store, config);
    return 0;
  } catch (error) {
    if (error instanceof LetterFileError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof LetterCommandError) {
      io.err(`undersigned: ${error.message}`);
      return 2;
    }
    if (error instanceof AppError && error.code === "invalid_state") {
      io.err("undersigned: the letter cannot be published from its current state");
      return 2;
    }
    throw error;
  } finally {
    await store.close();
  }
}
