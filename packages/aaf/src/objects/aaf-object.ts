import { BASELINE_CLASS_NAMES } from "./baseline.ts";
import { ByteReader, toHex } from "./binary.ts";
import type { MobId } from "./ids.ts";
import { auidToString } from "./ids.ts";
import type { ClassDef, MetaDictionary } from "./meta-dictionary.ts";
import type { RawObject, StoredWeakRef } from "./raw-object.ts";
import { StoredForm } from "./stored-forms.ts";
import { type AafValue, decodeValue, type Rational, type WeakReference } from "./values.ts";

/** What every object of one class shares: its ancestry's names and its nearest baseline class. */
interface ClassInfo {
  readonly names: ReadonlySet<string>;
  readonly baseClassName: string | undefined;
}

/** What objects share: the meta-dictionary, the weak-reference table and the object wrappers. */
export class ObjectGraph {
  readonly meta: MetaDictionary;
  readonly #root: RawObject;
  readonly #paths: readonly (readonly number[])[];
  readonly #classes = new Map<string, ClassInfo>();
  constructor(meta: MetaDictionary, root: RawObject, referencedPaths: readonly (readonly number[])[]) {
    this.meta = meta;
    this.#root = root;
    this.#paths = referencedPaths;
  }
  wrap(raw: RawObject): AafObject {
    // One graph per loaded tree, so the raw object can hold its own wrapper (no per-object map entry).
    let o = raw.wrapper as AafObject | undefined;
    if (o === undefined) {
      o = new AafObject(raw, this);
      raw.wrapper = o;
    }
    return o;
  }
  classInfo(classId: string): ClassInfo {
    let info = this.#classes.get(classId);
    if (info === undefined) {
      const ancestry = this.meta.ancestry(classId);
      info = {
        names: new Set(ancestry.map((c) => c.name)),
        baseClassName: ancestry.find((c) => BASELINE_CLASS_NAMES.has(c.name))?.name,
      };
      this.#classes.set(classId, info);
    }
    return info;
  }
  /** Follows a weak reference through the referenced-properties table to the keyed element of the target set. */
  resolve(ref: StoredWeakRef): WeakReference {
    const key = ref.key.byteLength === 32 ? toHex(ref.key) : auidToString(ref.key);
    const path = this.#paths[ref.tag];
    let at: RawObject | undefined = this.#root;
    if (path === undefined || path.length === 0) return { key, target: undefined };
    for (let i = 0; i < path.length - 1 && at !== undefined; i++) {
      const p = at.indexOf(path[i] ?? 0);
      at = p >= 0 && at.formAt(p) === StoredForm.strongRef ? at.objectAt(p) : undefined;
    }
    if (at === undefined) return { key, target: undefined };
    const set = at.indexOf(path[path.length - 1] ?? 0);
    const target = set >= 0 && at.formAt(set) === StoredForm.strongRefSet ? at.setElement(set, toHex(ref.key)) : undefined;
    return { key, target: target === undefined ? undefined : this.wrap(target) };
  }
}

/** A property this reader could not name or type: its pid and stored bytes. */
export interface RawPropertyValue {
  readonly pid: number;
  readonly storedForm: string;
  readonly bytes: Uint8Array | undefined;
}

/** One AAF object: its class (from the meta-dictionary), its storage path, and its properties by name. */
export class AafObject {
  readonly raw: RawObject;
  readonly #graph: ObjectGraph;
  /** Decoded values by property index, filled on first access. */
  #values: (AafValue | undefined)[] | undefined;
  #class: ClassInfo | undefined;
  constructor(raw: RawObject, graph: ObjectGraph) {
    this.raw = raw;
    this.#graph = graph;
  }
  get classId(): string {
    return this.raw.classId;
  }
  /** Storage path, e.g. "/Header-2/Content-3b03/Mobs-1901{2}", for messages. */
  get path(): string {
    return this.raw.path;
  }
  get classDef(): ClassDef | undefined {
    return this.#graph.meta.classes.get(this.raw.classId);
  }
  /** The class's own name (an extension class keeps its name, e.g. Avid's); the class AUID when undeclared. */
  get className(): string {
    return this.classDef?.name ?? this.raw.classId;
  }
  #classInfo(): ClassInfo {
    this.#class ??= this.#graph.classInfo(this.raw.classId);
    return this.#class;
  }
  /** The nearest baseline class on the ParentClass chain ("SourceClip" for a vendor subclass of SourceClip). */
  get baseClassName(): string | undefined {
    return this.#classInfo().baseClassName;
  }
  /** True when the object's class is `className` or derives from it. */
  isA(className: string): boolean {
    return this.#classInfo().names.has(className);
  }

  /** Index of the named property (the last match, as a damaged file may repeat one), or -1. */
  #indexOfName(name: string): number {
    const defs = this.#graph.meta.propertiesByPid;
    const raw = this.raw;
    for (let i = raw.count - 1; i >= 0; i--) if (defs.get(raw.pidAt(i))?.name === name) return i;
    return -1;
  }
  /** Names of the properties present (unnamed pids are left out: see rawProperties()). */
  propertyNames(): string[] {
    const names = new Set<string>();
    const defs = this.#graph.meta.propertiesByPid;
    for (const pid of this.raw.properties.keys()) {
      const name = defs.get(pid)?.name;
      if (name !== undefined) names.add(name);
    }
    return [...names];
  }
  has(name: string): boolean {
    return this.#indexOfName(name) >= 0;
  }
  get(name: string): AafValue | undefined {
    const i = this.#indexOfName(name);
    return i < 0 ? undefined : this.#valueAt(i);
  }
  getByPid(pid: number): AafValue | undefined {
    const i = this.raw.indexOf(pid);
    return i < 0 ? undefined : this.#valueAt(i);
  }
  #valueAt(i: number): AafValue {
    this.#values ??= new Array<AafValue | undefined>(this.raw.count);
    let v = this.#values[i];
    if (v === undefined) {
      v = this.#decode(i);
      this.#values[i] = v;
    }
    return v;
  }
  /** Properties whose pid the meta-dictionary does not declare, kept as stored. */
  rawProperties(): RawPropertyValue[] {
    const out: RawPropertyValue[] = [];
    for (const p of this.raw.properties.values()) {
      if (this.#graph.meta.propertiesByPid.has(p.pid)) continue;
      out.push({ pid: p.pid, storedForm: p.form, bytes: p.form === "data" || p.form === "unknown" ? p.bytes : undefined });
    }
    return out;
  }

  #decode(i: number): AafValue {
    const g = this.#graph;
    const raw = this.raw;
    switch (raw.formAt(i)) {
      case StoredForm.data: {
        const def = g.meta.propertiesByPid.get(raw.pidAt(i));
        if (def === undefined) return { kind: "bytes", value: raw.valueAt(i) };
        const where = () => `${this.path}/properties (${def.name})`;
        return decodeValue(g.meta, def.typeId, new ByteReader(raw.valueAt(i), where, raw.offsetAt(i)));
      }
      case StoredForm.strongRef:
        return { kind: "object", value: g.wrap(raw.objectAt(i) as RawObject) };
      case StoredForm.strongRefVector:
      case StoredForm.strongRefSet:
        return { kind: "objects", value: (raw.objectsAt(i) ?? []).map((o) => g.wrap(o)) };
    }
    const p = raw.propertyAt(i);
    switch (p.form) {
      case "stream":
        return { kind: "stream", size: p.entry.size, open: p.reader };
      case "weakRef":
        return { kind: "weakRef", value: g.resolve(p.ref) };
      case "weakRefVector":
      case "weakRefSet":
        return { kind: "weakRefs", value: p.refs.map((r) => g.resolve(r)) };
      default:
        return { kind: "bytes", value: raw.valueAt(i) };
    }
  }

  // Typed accessors: undefined when absent or of another kind.
  string(name: string): string | undefined {
    const v = this.get(name);
    return v?.kind === "string" ? v.value : undefined;
  }
  /** Integer (or enum ordinal) as a number; bigint only beyond 2^53. */
  int(name: string): number | bigint | undefined {
    const v = this.get(name);
    return v?.kind === "integer" || v?.kind === "enum" ? v.value : undefined;
  }
  number(name: string): number | undefined {
    const v = this.int(name);
    return v === undefined ? undefined : Number(v);
  }
  boolean(name: string): boolean | undefined {
    const v = this.get(name);
    return v?.kind === "boolean" ? v.value : undefined;
  }
  rational(name: string): Rational | undefined {
    const v = this.get(name);
    return v?.kind === "rational" ? v.value : undefined;
  }
  auid(name: string): string | undefined {
    const v = this.get(name);
    return v?.kind === "auid" ? v.value : v?.kind === "extEnum" ? v.id : undefined;
  }
  mobId(name: string): MobId | undefined {
    const v = this.get(name);
    return v?.kind === "mobId" ? v.value : undefined;
  }
  /** A strong reference's object. */
  object(name: string): AafObject | undefined {
    const v = this.get(name);
    return v?.kind === "object" ? v.value : undefined;
  }
  /** A strong-reference vector's or set's objects ([] when absent). */
  objects(name: string): readonly AafObject[] {
    const v = this.get(name);
    return v?.kind === "objects" ? v.value : v?.kind === "object" ? [v.value] : [];
  }
  /** A weak reference's target (undefined when absent or dangling). */
  ref(name: string): AafObject | undefined {
    const v = this.get(name);
    return v?.kind === "weakRef" ? v.value.target : undefined;
  }
  /** Objects this one owns through strong references, in property order. */
  children(): AafObject[] {
    const out: AafObject[] = [];
    for (const p of this.raw.properties.values()) {
      if (p.form === "strongRef") out.push(this.#graph.wrap(p.object));
      else if (p.form === "strongRefVector" || p.form === "strongRefSet") for (const o of p.objects) out.push(this.#graph.wrap(o));
    }
    return out;
  }
}
