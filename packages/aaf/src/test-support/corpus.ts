import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The shared corpus, read in place (never copied: several files are third-party GPL test data). */
export const CORPUS_AAF_DIR = fileURLToPath(new URL("../../../../../shared/corpus/aaf", import.meta.url));
export const CORPUS_AVAILABLE = existsSync(`${CORPUS_AAF_DIR}/MANIFEST.md`);

/** Prints once why corpus tests are skipped, so a skip is never silent. */
export function warnIfCorpusMissing(suite: string): void {
  if (!CORPUS_AVAILABLE) console.warn(`[${suite}] skipped: the AAF corpus is not at ${CORPUS_AAF_DIR} (../shared/corpus/aaf)`);
}
