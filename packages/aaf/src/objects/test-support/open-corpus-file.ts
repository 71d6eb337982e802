import { readdirSync, readFileSync } from "node:fs";
import { bufferByteSource } from "../../byte-source.ts";
import { openCompoundFile } from "../../cfb/index.ts";
import { CORPUS_AAF_DIR } from "../../test-support/corpus.ts";
import { type AafFile, openAafObjects } from "../open-aaf-objects.ts";

/** Every AAF (not OMF) file of the corpus, by name. */
export function corpusAafFiles(): string[] {
  return readdirSync(CORPUS_AAF_DIR)
    .filter((f) => /\.aaf$/i.test(f))
    .sort();
}

/** Opens a corpus file through our Compound File reader and the object layer. */
export async function openCorpusAaf(name: string): Promise<AafFile> {
  const tree = await openCompoundFile(bufferByteSource(readFileSync(`${CORPUS_AAF_DIR}/${name}`)));
  return openAafObjects(tree);
}
