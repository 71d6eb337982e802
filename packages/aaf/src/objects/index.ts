export { AafObject, type RawPropertyValue } from "./aaf-object.ts";
export { AafFormatError } from "./errors.ts";
export { auidToString, decodeMobId, type MobId } from "./ids.ts";
export type { ClassDef, MetaDictionary, PropertyDef, TypeDef } from "./meta-dictionary.ts";
export { type AafFile, openAafObjects } from "./open-aaf-objects.ts";
export type { AafObjectLimits } from "./raw-object.ts";
export type { AafValue, Rational, WeakReference } from "./values.ts";
