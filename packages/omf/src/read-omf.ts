import type { ByteSource } from "@dubstage/aaf";
import type { InspectDocument } from "@dubstage/interchange";
import type { BentoOptions } from "./bento/container.ts";
import { OmfFile, uidKey } from "./model/omf-file.ts";
import { type EmbeddedMedia, OmfResolver, type ResolveOptions } from "./resolve/resolve-document.ts";

export interface ReadOmfOptions extends BentoOptions, ResolveOptions {}

export interface OpenedOmf {
  readonly file: OmfFile;
  readonly document: InspectDocument;
  /** Embedded media data (AIFC/WAVE/TIFF/JPEG), streamable without loading it whole. */
  readonly embeddedMedia: readonly EmbeddedMedia[];
  /** The embedded media of an essence (by its document name), undefined when linked or unknown. */
  embeddedMediaOf(essenceName: string): EmbeddedMedia | undefined;
}

/** Reads an OMF 2.x file into the interchange document plus the object layer and embedded media. */
export async function openOmf(source: ByteSource, options: ReadOmfOptions = {}): Promise<OpenedOmf> {
  const file = await OmfFile.open(source, options);
  const resolver = new OmfResolver(file, options);
  const document = await resolver.resolve();
  const embeddedMedia = await resolver.embeddedMedia();
  const byMob = new Map(embeddedMedia.map((m) => [uidKey(m.mobId), m]));
  return {
    file,
    document,
    embeddedMedia,
    embeddedMediaOf(essenceName) {
      const id = resolver.essenceMobIds.get(essenceName);
      return id === undefined ? undefined : byMob.get(uidKey(id));
    },
  };
}

/** Reads an OMF 2.x file into the interchange document (format "omf"). */
export async function readOmf(source: ByteSource, options: ReadOmfOptions = {}): Promise<InspectDocument> {
  return (await openOmf(source, options)).document;
}
