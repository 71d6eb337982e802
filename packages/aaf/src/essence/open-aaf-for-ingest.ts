import type { InspectDocument } from "@dubstage/interchange";
import type { ByteSource } from "../byte-source.ts";
import { openCompoundFile } from "../cfb/index.ts";
import { openAafObjects } from "../objects/index.ts";
import { type ResolveOptions, resolveDocumentWithSources } from "../resolve/resolve-document.ts";
import { AafEssenceError } from "./errors.ts";
import { type DescribedEssence, describeEssences, type EssenceDetail } from "./essence-details.ts";
import { DEFAULT_CHUNK_BYTES, wavChunks } from "./wav-stream.ts";

export interface OpenEssenceOptions {
  /** Bytes read from the essence stream per chunk (default 1 MiB); memory held is about twice this. */
  readonly chunkBytes?: number;
}

/** An opened AAF, for ingest: the document, what each essence is, and its embedded audio as WAV. */
export interface AafIngestFile {
  readonly document: InspectDocument;
  /** One per `document.essences`, in the same order, with the same names. */
  readonly essences: readonly EssenceDetail[];
  /**
   * An embedded essence as a complete WAV file (RIFF, or RF64 past 4 GiB), chunk by chunk. Throws an
   * AafEssenceError at once for an unknown name, a linked essence, or one whose stored header is refused.
   */
  openEssence(name: string, options?: OpenEssenceOptions): AsyncIterable<Uint8Array>;
}

/**
 * Opens an AAF file (container, objects), resolves it into the InspectDocument, and describes each of its
 * essences (reading only the few header bytes of embedded ones). The source stays the caller's to close.
 */
export async function openAafForIngest(source: ByteSource, options: ResolveOptions = {}): Promise<AafIngestFile> {
  const file = await openAafObjects(await openCompoundFile(source));
  const { document, sources } = resolveDocumentWithSources(file, options);
  const described = await describeEssences(file, document.essences, sources);
  return {
    document,
    essences: [...described.values()].map((d) => d.detail),
    openEssence: (name, opts = {}) => openEssence(described.get(name), name, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES),
  };
}

function openEssence(described: DescribedEssence | undefined, name: string, chunkBytes: number): AsyncIterable<Uint8Array> {
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError(`essence "${name}": chunkBytes must be a positive integer, not ${chunkBytes}`);
  }
  if (described === undefined) throw new AafEssenceError(`essence "${name}" is not in the document`, "not-found");
  const { detail, stream } = described;
  if (detail.embedded === null) {
    throw new AafEssenceError(
      `essence "${name}" is linked, not embedded in the AAF (${detail.uri === null ? "the file gives no location" : `its media is at ${detail.uri}`}): there is nothing to stream from the AAF`,
      "not-found",
    );
  }
  if (stream === undefined) throw new AafEssenceError(detail.embedded.problem ?? `essence "${name}" cannot be streamed`);
  return wavChunks(stream.reader, stream.layout, chunkBytes, `essence "${name}"`);
}
