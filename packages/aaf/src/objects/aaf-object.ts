import { BASELINE_CLASS_NAMES } from "./baseline.ts";
import { ByteReader, toHex } from "./binary.ts";
import type { MobId } from "./ids.ts";
import { auidToString, decodeMobId } from "./ids.ts";
import type { ClassDef, MetaDictionary } from "./meta-dictionary.ts";
import type { RawObject, RawProperty, StoredWeakRef } from "./raw-object.ts";
import { type AafValue, decodeValue, type Rational, type WeakReference } from "./values.ts";

/** What objects share: the meta-dictionary, the weak-reference table and the object wrappers. */
export class ObjectGraph {
  readonly meta: MetaDictionary;
  readonly #root: RawObject;
  readonly #paths: readonly (readonly number[])[];
  readonly #wrappers = new WeakMap<RawObject, AafObject>();
  constructor(meta: MetaDictionary, root: RawObject, referencedPaths: readonly (readonly number[])[]) {
    this.meta = meta;
    this.#root = root;
    this.#paths = referencedPaths;
  }
  wrap(raw: RawObject): AafObject {
    let o = this.#wrappers.get(raw);
    if (o === undefined) {
      o = new AafObject(raw, this);
      this.#wrappers.set(raw, o);
    }
    return o;
  }
  /** Follows a weak reference through the referenced-properties table to the keyed element of the target set. */
  resolve(ref: StoredWeakRef): WeakReference {
    const key = ref.key.byteLength === 32 ? decodeMobId(ref.key).hex : auidToString(ref.key);
    const path = this.#paths[ref.tag];
    let at: RawObject | undefined = this.#root;
    if (path === undefined || path.length === 0) return { key, target: undefined };
    for (let i = 0; i < path.length - 1 && at !== undefined; i++) {
      const p: RawProperty | undefined = at.properties.get(path[i] ?? 0);
      at = p?.form === "strongRef" ? p.object : undefined;
    }
    const set = at?.properties.get(path[path.length - 1] ?? 0);
    const target = set?.form === "strongRefSet" ? set.byKey.get(toHex(ref.key)) : undefined;
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
  #byName: Map<string, number> | undefined;
  readonly #values = new Map<number, AafValue>();
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
  /** The nearest baseline class on the ParentClass chain ("SourceClip" for a vendor subclass of SourceClip). */
  get baseClassName(): string | undefined {
    return this.#graph.meta.ancestry(this.raw.classId).find((c) => BASELINE_CLASS_NAMES.has(c.name))?.name;
  }
  /** True when the object's class is `className` or derives from it. */
  isA(className: string): boolean {
    return this.#graph.meta.ancestry(this.raw.classId).some((c) => c.name === className);
  }

  #names(): Map<string, number> {
    if (this.#byName === undefined) {
      this.#byName = new Map();
      const defs = this.#graph.meta.propertiesByPid;
      for (const pid of this.raw.properties.keys()) {
        const name = defs.get(pid)?.name;
        if (name !== undefined) this.#byName.set(name, pid);
      }
    }
    return this.#byName;
  }
  /** Names of the properties present (unnamed pids are left out: see rawProperties()). */
  propertyNames(): string[] {
    return [...this.#names().keys()];
  }
  has(name: string): boolean {
    return this.#names().has(name);
  }
  get(name: string): AafValue | undefined {
    const pid = this.#names().get(name);
    return pid === undefined ? undefined : this.getByPid(pid);
  }
  getByPid(pid: number): AafValue | undefined {
    const cached = this.#values.get(pid);
    if (cached !== undefined) return cached;
    const p = this.raw.properties.get(pid);
    if (p === undefined) return undefined;
    const v = this.#decode(p);
    this.#values.set(pid, v);
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

  #decode(p: RawProperty): AafValue {
    const g = this.#graph;
    switch (p.form) {
      case "data": {
        const def = g.meta.propertiesByPid.get(p.pid);
        if (def === undefined) return { kind: "bytes", value: p.bytes };
        return decodeValue(g.meta, def.typeId, new ByteReader(p.bytes, `${this.path}/properties (${def.name})`, p.offset));
      }
      case "stream":
        return { kind: "stream", size: p.entry.size, open: p.reader };
      case "strongRef":
        return { kind: "object", value: g.wrap(p.object) };
      case "strongRefVector":
      case "strongRefSet":
        return { kind: "objects", value: p.objects.map((o) => g.wrap(o)) };
      case "weakRef":
        return { kind: "weakRef", value: g.resolve(p.ref) };
      case "weakRefVector":
      case "weakRefSet":
        return { kind: "weakRefs", value: p.refs.map((r) => g.resolve(r)) };
      case "unknown":
        return { kind: "bytes", value: p.bytes };
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
