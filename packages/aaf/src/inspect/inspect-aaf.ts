import { DubstageError } from "@dubstage/event-log";
import type { InspectDocument } from "@dubstage/interchange";
import type { ByteSource } from "../byte-source.ts";
import { CompoundFileError, openCompoundFile } from "../cfb/index.ts";
import { openAafObjects } from "../objects/index.ts";
import { type ResolveOptions, resolveDocument } from "../resolve/resolve-document.ts";

export type InspectAafOptions = ResolveOptions;

/** The file is OMF (Bento container), which this reader does not read. */
export class NotAafError extends DubstageError {
  override readonly name = "NotAafError";
  readonly kind = "validation" as const;
}

// Bento's label magic, in the 24-byte label that ends an OMF file.
const BENTO_MAGIC = [0xa4, 0x43, 0x4d, 0xa5, 0x48, 0x64, 0x72, 0xd7];

async function looksLikeOmf(source: ByteSource): Promise<boolean> {
  if (source.size < 24) return false;
  const label = await source.read(source.size - 24, 24);
  return BENTO_MAGIC.every((byte, i) => label[i] === byte);
}

/**
 * Opens an AAF file (container, objects) and resolves its top-level composition into an InspectDocument.
 * An OMF file is refused with a NotAafError that says so; other non-Compound Files with the container's error.
 */
export async function inspectAaf(source: ByteSource, options: InspectAafOptions = {}): Promise<InspectDocument> {
  let tree: Awaited<ReturnType<typeof openCompoundFile>>;
  try {
    tree = await openCompoundFile(source);
  } catch (error) {
    if (error instanceof CompoundFileError && (await looksLikeOmf(source))) {
      throw new NotAafError(`not a Compound File: this looks like an OMF file (Bento label at its end), not AAF; ${error.message}`);
    }
    throw error;
  }
  const file = await openAafObjects(tree);
  return resolveDocument(file, options);
}
