import type { LabelTranslations } from "./label-translations.ts";
import type { TranslationContent } from "./letter-content-hash.ts";
import type { OptionalSignField, Signers } from "./letter-settings.ts";
import type { LetterState } from "./letter-states.ts";

export type PublisherLink = { label: string; url: string };

/** Everything a coordinator edits about a letter: its settings and the content of its current version. */
export type EditableLetter = {
  id: number;
  slug: string;
  state: LetterState;
  campaign: { id: number; slug: string; name: string; hasKey: boolean };
  defaultLanguage: string;
  letterDate: string | null;
  publicationDate: string | null;
  signers: Signers;
  categories: string[];
  /** Count statement templates by language (empty: the generated sentence). */
  countStatements: Record<string, string>;
  /** Categories and publisher link labels translated, by language. */
  labelTranslations: LabelTranslations;
  requiredFields: OptionalSignField[];
  moderation: boolean;
  allowUndisclosed: boolean;
  /** Hours between count releases, a divisor of 24 (count-release.ts). */
  releaseEveryHours: number;
  deadline: string | null;
  hasPrivateLink: boolean;
  publisher: { name: string | null; url: string | null; links: PublisherLink[]; logoUrl: string | null };
  /** Default language first, then the others by language code. */
  translations: TranslationContent[];
  version: { id: number; number: number; createdAt: string; contentHash: string; signatures: number };
  /** Changes whenever the letter is saved; the editor sends it back so a co-drafter's save is not overwritten. */
  updatedAt: string;
  publishedAt: string | null;
};
