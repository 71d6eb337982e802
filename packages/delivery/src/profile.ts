import { InvalidDeliveryProfileError, UnknownDeliveryProfileError } from "./errors.ts";
import builtIn from "./profiles.json" with { type: "json" };

/**
 * How a profile's loudness is measured: `programme` is BS.1770-4 gated integrated loudness of the whole
 * file; `dialogue-gated` is the programme's loudness over the blocks where the dialogue stem speaks
 * (our estimate of what Dolby Dialogue Intelligence measures: see @dubstage/loudness).
 */
export type LoudnessMeasurement = "programme" | "dialogue-gated";

export const DELIVERY_LAYOUTS = ["mono", "stereo", "5.1", "7.1"] as const;
export type DeliveryLayout = (typeof DELIVERY_LAYOUTS)[number];

export interface LoudnessTarget {
  readonly measurement: LoudnessMeasurement;
  readonly targetLufs: number;
  /** Pass when |measured - target| <= tolerance. */
  readonly toleranceLu: number;
}

export interface DialogueGatedTarget extends LoudnessTarget {
  readonly measurement: "dialogue-gated";
  /** When dialogue is present in less than this share of the programme, the fallback applies instead. */
  readonly fallback?: LoudnessTarget & { readonly whenDialogueBelowPercent: number };
}

export interface DeliveryProfile {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  /** The spec id in ../shared/reference/delivery-specs.json the values come from (built-ins), or a studio's note. */
  readonly source: string;
  readonly loudness: LoudnessTarget | DialogueGatedTarget;
  readonly truePeakMaxDbtp: number;
  /** Best practice, reported but never failed when advisory. */
  readonly loudnessRangeLu?: { readonly min: number; readonly max: number; readonly advisory: boolean };
  readonly format: { readonly sampleRateHz: number; readonly bitDepths: readonly number[]; readonly layouts: readonly DeliveryLayout[] };
  /** What a delivery under this profile comprises (printmaster, stems by role, M&E). */
  readonly deliverables: readonly string[];
}

type Json = Record<string, unknown>;

function field(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidDeliveryProfileError(path, "must be an object");
  return value as Json;
}

function text(value: unknown, path: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidDeliveryProfileError(path, "must be a non-empty string");
  return value;
}

function num(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidDeliveryProfileError(path, `must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function loudnessTarget(value: unknown, path: string): LoudnessTarget {
  const o = field(value, path);
  const measurement = o.measurement;
  if (measurement !== "programme" && measurement !== "dialogue-gated") {
    throw new InvalidDeliveryProfileError(
      `${path}.measurement`,
      `must be "programme" or "dialogue-gated" (got ${JSON.stringify(measurement)})`,
    );
  }
  return {
    measurement,
    targetLufs: num(o.targetLufs, `${path}.targetLufs`, -70, 0),
    toleranceLu: num(o.toleranceLu, `${path}.toleranceLu`, 0, 20),
  };
}

/** Checks a profile (a studio's own, or a built-in) field by field; throws naming the first bad field. */
export function parseDeliveryProfile(value: unknown): DeliveryProfile {
  const o = field(value, "profile");
  const id = text(o.id, "id");
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
    throw new InvalidDeliveryProfileError("id", `must be lower-case letters, digits and dashes (got ${JSON.stringify(id)})`);
  const l = field(o.loudness, "loudness");
  let loudness: LoudnessTarget | DialogueGatedTarget = loudnessTarget(l, "loudness");
  if (l.fallback !== undefined) {
    if (loudness.measurement !== "dialogue-gated")
      throw new InvalidDeliveryProfileError("loudness.fallback", "only applies to a dialogue-gated measurement");
    const f = field(l.fallback, "loudness.fallback");
    loudness = {
      ...loudness,
      measurement: "dialogue-gated",
      fallback: {
        ...loudnessTarget(f, "loudness.fallback"),
        whenDialogueBelowPercent: num(f.whenDialogueBelowPercent, "loudness.fallback.whenDialogueBelowPercent", 0, 100),
      },
    };
  }
  const format = field(o.format, "format");
  const bitDepths = format.bitDepths;
  if (!Array.isArray(bitDepths) || bitDepths.length === 0 || bitDepths.some((b) => b !== 16 && b !== 24 && b !== 32)) {
    throw new InvalidDeliveryProfileError("format.bitDepths", "must list 16, 24 or 32");
  }
  const layouts = format.layouts;
  if (!Array.isArray(layouts) || layouts.length === 0 || layouts.some((x) => !DELIVERY_LAYOUTS.includes(x as DeliveryLayout))) {
    throw new InvalidDeliveryProfileError("format.layouts", `must list some of ${DELIVERY_LAYOUTS.join(", ")}`);
  }
  const deliverables = o.deliverables;
  if (!Array.isArray(deliverables) || deliverables.some((d) => typeof d !== "string"))
    throw new InvalidDeliveryProfileError("deliverables", "must be a list of names");
  let loudnessRangeLu: DeliveryProfile["loudnessRangeLu"];
  if (o.loudnessRangeLu !== undefined) {
    const r = field(o.loudnessRangeLu, "loudnessRangeLu");
    const min = num(r.min, "loudnessRangeLu.min", 0, 50);
    const max = num(r.max, "loudnessRangeLu.max", min, 50);
    loudnessRangeLu = { min, max, advisory: r.advisory === true };
  }
  return {
    id,
    name: text(o.name, "name"),
    owner: text(o.owner, "owner"),
    source: text(o.source, "source"),
    loudness,
    truePeakMaxDbtp: num(o.truePeakMaxDbtp, "truePeakMaxDbtp", -20, 3),
    ...(loudnessRangeLu && { loudnessRangeLu }),
    format: {
      sampleRateHz: num(format.sampleRateHz, "format.sampleRateHz", 8000, 384_000),
      bitDepths: bitDepths as number[],
      layouts: layouts as DeliveryLayout[],
    },
    deliverables: deliverables as string[],
  };
}

/** The built-in profiles (`profiles.json`), checked once at load. */
export const BUILT_IN_PROFILES: readonly DeliveryProfile[] = Object.freeze(builtIn.profiles.map((p) => parseDeliveryProfile(p)));

/** A profile by id among the built-ins (and the extra ones given, which win on a shared id). */
export function deliveryProfile(id: string, extra: readonly DeliveryProfile[] = []): DeliveryProfile {
  const found = extra.find((p) => p.id === id) ?? BUILT_IN_PROFILES.find((p) => p.id === id);
  if (!found) throw new UnknownDeliveryProfileError(id, [...new Set([...extra, ...BUILT_IN_PROFILES].map((p) => p.id))]);
  return found;
}
