import type { AafFile, AafObject, AafValue, MobId } from "../objects/index.ts";
import { DATA_DEF, OPERATION, PARAMETER, USAGE } from "./aaf-ids.ts";

/**
 * Small stand-ins for the object layer's AafObject, enough for the resolver: a class chain and named
 * properties. Synthetic timelines (hostile shapes, edge cases) are built with them instead of AAF files.
 */
type Prop = AafValue | FakeObject | FakeObject[] | number | string | boolean | undefined;

const PARENTS: Record<string, string> = {
  CompositionMob: "Mob",
  MasterMob: "Mob",
  SourceMob: "Mob",
  TimelineMobSlot: "MobSlot",
  EventMobSlot: "MobSlot",
  Sequence: "Segment",
  SourceClip: "SourceReference",
  SourceReference: "Segment",
  Filler: "Segment",
  Timecode: "Segment",
  OperationGroup: "Segment",
  Selector: "Segment",
  Transition: "Component",
  ConstantValue: "Parameter",
  VaryingValue: "Parameter",
  Segment: "Component",
};

export class FakeObject {
  readonly className: string;
  readonly path: string;
  readonly #props: Record<string, Prop>;
  constructor(className: string, props: Record<string, Prop>, path = `/${className}`) {
    this.className = className;
    this.#props = props;
    this.path = path;
  }
  isA(name: string): boolean {
    for (let c: string | undefined = this.className; c !== undefined; c = PARENTS[c]) if (c === name) return true;
    return false;
  }
  get(name: string): AafValue | undefined {
    const p = this.#props[name];
    if (p === undefined) return undefined;
    if (typeof p === "number") return { kind: "integer", value: p };
    if (typeof p === "string") return { kind: "string", value: p };
    if (typeof p === "boolean") return { kind: "boolean", value: p };
    if (p instanceof FakeObject) return { kind: "object", value: p as unknown as AafObject };
    if (Array.isArray(p)) return { kind: "objects", value: p as unknown as AafObject[] };
    return p;
  }
  string(name: string) {
    const v = this.get(name);
    return v?.kind === "string" ? v.value : undefined;
  }
  int(name: string) {
    const v = this.get(name);
    return v?.kind === "integer" ? v.value : undefined;
  }
  boolean(name: string) {
    const v = this.get(name);
    return v?.kind === "boolean" ? v.value : undefined;
  }
  rational(name: string) {
    const v = this.get(name);
    return v?.kind === "rational" ? v.value : undefined;
  }
  auid(name: string) {
    const v = this.get(name);
    return v?.kind === "auid" ? v.value : v?.kind === "extEnum" ? v.id : undefined;
  }
  mobId(name: string): MobId | undefined {
    const v = this.get(name);
    return v?.kind === "mobId" ? v.value : undefined;
  }
  object(name: string) {
    const v = this.get(name);
    return v?.kind === "object" ? v.value : undefined;
  }
  objects(name: string) {
    const v = this.get(name);
    return v?.kind === "objects" ? v.value : v?.kind === "object" ? [v.value] : [];
  }
  children(): AafObject[] {
    return Object.keys(this.#props).flatMap((k) => this.objects(k));
  }
}

export const rate = (numerator: number, denominator = 1): AafValue => ({ kind: "rational", value: { numerator, denominator } });
export const mobId = (n: number): AafValue => {
  const hex = n.toString(16).padStart(64, "0");
  return { kind: "mobId", value: { hex, urn: `urn:test:${n}`, material: hex.slice(32) } };
};
const weak = (key: string): AafValue => ({ kind: "weakRef", value: { key, target: undefined } });
export const sound = weak(DATA_DEF.sound[0]);
export const timecodeDef = weak(DATA_DEF.timecode[0]);
export const topLevel: AafValue = { kind: "extEnum", id: USAGE.topLevel, name: "TopLevel" };

export const filler = (length: number) => new FakeObject("Filler", { Length: length, DataDefinition: sound });
export const sourceClip = (length: number, startTime = 0, source = 0) =>
  new FakeObject("SourceClip", {
    Length: length,
    StartTime: startTime,
    SourceID: mobId(source),
    SourceMobSlotID: 1,
    DataDefinition: sound,
  });
export const transition = (length: number, cutPoint: number) =>
  new FakeObject("Transition", { Length: length, CutPoint: cutPoint, DataDefinition: sound });
export const sequence = (...components: FakeObject[]) =>
  new FakeObject("Sequence", { Components: components, Length: 0, DataDefinition: sound });
export const audioSlot = (segment: FakeObject, editRate = rate(25)) =>
  new FakeObject("TimelineMobSlot", { Segment: segment, EditRate: editRate, SlotID: 2 });
export const timecodeSlot = (start: number, fps = 25) =>
  new FakeObject("TimelineMobSlot", {
    Segment: new FakeObject("Timecode", { Start: start, FPS: fps, Drop: false, Length: 0, DataDefinition: timecodeDef }),
    EditRate: rate(fps),
    SlotID: 1,
  });
export const composition = (name: string, id: number, ...slots: FakeObject[]) =>
  new FakeObject("CompositionMob", { Name: name, MobID: mobId(id), UsageCode: topLevel, Slots: slots });

/** An AafFile holding these mobs (no header content, no meta-dictionary). */
export function fakeFile(...mobs: FakeObject[]): AafFile {
  const byId = new Map(mobs.map((m) => [m.mobId("MobID")?.hex ?? m.path, m as unknown as AafObject]));
  const header = new FakeObject("Header", {
    IdentificationList: [new FakeObject("Identification", { CompanyName: "Test", ProductName: "Fake" })],
  });
  return {
    header: header as unknown as AafObject,
    metaDictionary: undefined as never,
    mobs: byId,
    findMob: (id) => byId.get(typeof id === "string" ? id : id.hex),
    objectCount: mobs.length,
  };
}

const auid = (value: string): AafValue => ({ kind: "auid", value });
/** A Mono Audio Pan or Gain OperationGroup of `length` around `input`, with these parameters. */
export const operationGroup = (operation: keyof typeof OPERATION, length: number, input: FakeObject, ...parameters: FakeObject[]) =>
  new FakeObject("OperationGroup", {
    Operation: weak(OPERATION[operation]),
    Length: length,
    InputSegments: [input],
    Parameters: parameters,
    DataDefinition: sound,
  });
/** A ConstantValue of the Pan or Amplitude parameter. */
export const constant = (parameter: keyof typeof PARAMETER, numerator: number, denominator = 1) =>
  new FakeObject("ConstantValue", { Definition: auid(PARAMETER[parameter]), Value: rate(numerator, denominator) });
/** A VaryingValue of the Pan or Amplitude parameter: [time, value] pairs, both as fractions. */
export const varying = (parameter: keyof typeof PARAMETER, ...points: [number, number][]) =>
  new FakeObject("VaryingValue", {
    Definition: auid(PARAMETER[parameter]),
    PointList: points.map(
      ([time, value]) => new FakeObject("ControlPoint", { Time: rate(time * 1000, 1000), Value: rate(value * 1000, 1000) }),
    ),
  });
