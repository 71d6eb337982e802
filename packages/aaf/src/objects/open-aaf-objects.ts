import type { StorageTree } from "../storage.ts";
import { type AafObject, ObjectGraph } from "./aaf-object.ts";
import { AafFormatError } from "./errors.ts";
import type { MobId } from "./ids.ts";
import { MetaDictionary } from "./meta-dictionary.ts";
import { type AafObjectLimits, loadRawTree, type RawObject, readReferencedProperties } from "./raw-object.ts";
import { StoredForm } from "./stored-forms.ts";

/** Root-storage pids: the MetaDictionary and the Header. */
const ROOT_META_DICTIONARY = 0x0001;
const ROOT_HEADER = 0x0002;

export interface AafFile {
  readonly header: AafObject;
  readonly metaDictionary: MetaDictionary;
  /** Every mob of the ContentStorage by MobID (MobId.hex). */
  readonly mobs: ReadonlyMap<string, AafObject>;
  /** The mob with this MobID, or undefined (a SourceClip may point at a mob the file does not contain). */
  findMob(id: MobId | string): AafObject | undefined;
  /** Objects read (strong-reference storages, including the meta-dictionary). */
  readonly objectCount: number;
}

/**
 * Reads every object of an AAF storage tree (strong references eagerly; data streams stay unread) and types
 * their properties with the file's meta-dictionary.
 */
export async function openAafObjects(tree: StorageTree, limits: AafObjectLimits = {}): Promise<AafFile> {
  const [{ root, objectCount }, paths] = await Promise.all([loadRawTree(tree, tree.root, limits), readReferencedProperties(tree, limits)]);
  const strong = (o: RawObject, pid: number): RawObject | undefined => {
    const i = o.indexOf(pid);
    return i >= 0 && o.formAt(i) === StoredForm.strongRef ? o.objectAt(i) : undefined;
  };
  const headerRaw = strong(root, ROOT_HEADER);
  if (headerRaw === undefined) throw new AafFormatError("no Header (root property 2): not an AAF file", tree.root.path);
  const metaDictionary = MetaDictionary.fromFile(strong(root, ROOT_META_DICTIONARY));
  const graph = new ObjectGraph(metaDictionary, root, paths);
  const header = graph.wrap(headerRaw);

  const mobs = new Map<string, AafObject>();
  const content = header.object("Content");
  for (const mob of content?.objects("Mobs") ?? []) {
    const id = mob.mobId("MobID");
    if (id !== undefined) mobs.set(id.hex, mob);
  }
  return {
    header,
    metaDictionary,
    mobs,
    findMob: (id) => mobs.get(typeof id === "string" ? id : id.hex),
    objectCount,
  };
}
