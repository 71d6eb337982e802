import type { InspectDocument } from "@dubstage/interchange";
import type { ByteSource } from "../byte-source.ts";
import { openCompoundFile } from "../cfb/index.ts";
import { openAafObjects } from "../objects/index.ts";
import { type ResolveOptions, resolveDocument } from "../resolve/resolve-document.ts";

export type InspectAafOptions = ResolveOptions;

/** Opens an AAF file (container, objects) and resolves its top-level composition into an InspectDocument. */
export async function inspectAaf(source: ByteSource, options: InspectAafOptions = {}): Promise<InspectDocument> {
  const tree = await openCompoundFile(source);
  const file = await openAafObjects(tree);
  return resolveDocument(file, options);
}
