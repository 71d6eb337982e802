import type { AutomationPoint, ClipAutomationPoint, CurveKind } from "@dubstage/interchange";
import type { AafObject } from "../objects/index.ts";
import { INTERPOLATION, OPERATION, PARAMETER } from "./aaf-ids.ts";
import { asNumber, asRational, linearToDb, taggedValue, weakKey } from "./values.ts";

/** Gain found on a MonoAudioGain OperationGroup: constant (dB) or varying (control points). */
export interface GainEffect {
  gainDb: number | null;
  automation: AutomationPoint[] | null;
}

export function operationId(group: AafObject): string | undefined {
  // AAF 1.0 files (the SDK's RealWorldSample) name the property OperationDefinition.
  return weakKey(group, "Operation") ?? weakKey(group, "OperationDefinition");
}

function interpolationCurve(key: string | undefined): CurveKind {
  if (key === undefined || key === INTERPOLATION.linear) return "linear";
  if (key === INTERPOLATION.power) return "power";
  return "other";
}

/**
 * The curve of a fade or crossfade: Media Composer states it in the OperationGroup's
 * `_ATN_AUDIO_DISSOLVE_CURVETYPE` attribute (0 linear, 1 equal power) while its Level parameter always says
 * LinearInterp; others give the Level VaryingValue's interpolation. Linear when neither says.
 */
export function transitionCurve(group: AafObject | undefined): CurveKind {
  if (group === undefined) return "linear";
  const avid = asNumber(taggedValue(group, "ComponentAttributeList", "_ATN_AUDIO_DISSOLVE_CURVETYPE"));
  if (avid === 0) return "linear";
  if (avid === 1) return "power";
  for (const parameter of group.objects("Parameters")) {
    if (parameter.isA("VaryingValue") && parameter.auid("Definition") === PARAMETER.level) {
      return interpolationCurve(weakKey(parameter, "Interpolation"));
    }
  }
  return "linear";
}

/**
 * The gain of a MonoAudioGain OperationGroup. A VaryingValue of two equal points is a constant (and no gain
 * at all when that constant is unity, as Pro Tools and Resolve write for untouched clips).
 */
export function gainEffect(group: AafObject): GainEffect | undefined {
  if (operationId(group) !== OPERATION.monoAudioGain) return undefined;
  const effect: GainEffect = { gainDb: null, automation: null };
  for (const parameter of group.objects("Parameters")) {
    if (parameter.isA("ConstantValue")) {
      if (parameter.auid("Definition") !== PARAMETER.amplitude) continue;
      const value = asRational(parameter.get("Value"));
      if (value !== undefined && value.denominator !== 0 && effect.gainDb === null) {
        effect.gainDb = linearToDb(value.numerator / value.denominator);
      }
    } else if (parameter.isA("VaryingValue")) {
      const points: { time: number; value: number; raw: string }[] = [];
      for (const point of parameter.objects("PointList")) {
        const time = asNumber(point.get("Time"));
        const value = asRational(point.get("Value"));
        if (time === undefined || value === undefined || value.denominator === 0) continue;
        points.push({ time, value: value.numerator / value.denominator, raw: `${value.numerator}/${value.denominator}` });
      }
      if (points.length === 0) continue;
      const [first, second] = points;
      if (points.length === 2 && first !== undefined && second !== undefined && first.raw === second.raw) {
        if (first.value !== 1 && effect.gainDb === null) effect.gainDb = linearToDb(first.value);
      } else if (effect.automation === null) {
        effect.automation = points.map((p) => ({ time: p.time, valueDb: linearToDb(p.value) }));
      }
    }
  }
  return effect;
}

/** Pan found on a MonoAudioPan OperationGroup, already in -1..+1 (AAF's 0..1 with 0.5 centre, as 2v - 1). */
export interface PanEffect {
  pan: number | null;
  /** Times are fractions of the group's length, as the file gives them; in time order. */
  automation: ClipAutomationPoint[] | null;
}

const panValue = (linear: number): number => 2 * linear - 1;

/** Control points in time order; a stable sort keeps the file's order of points at the same time. */
export function inTimeOrder<T extends { time: number }>(points: readonly T[]): T[] {
  return points
    .map((point, i) => ({ point, i }))
    .sort((a, b) => a.point.time - b.point.time || a.i - b.i)
    .map(({ point }) => point);
}

/**
 * The Pan parameter of a MonoAudioPan OperationGroup: a ConstantValue, or a VaryingValue whose control points
 * are sorted by time (OTIO's writer stores some out of order). Two points of the same value are a constant, as
 * in LibAAF (Media Composer and OTIO write a constant pan so). The first Pan parameter with a value wins.
 */
export function panEffect(group: AafObject): PanEffect | undefined {
  if (operationId(group) !== OPERATION.monoAudioPan) return undefined;
  const effect: PanEffect = { pan: null, automation: null };
  for (const parameter of group.objects("Parameters")) {
    if (parameter.auid("Definition") !== PARAMETER.pan) continue;
    if (parameter.isA("ConstantValue")) {
      const value = asRational(parameter.get("Value"));
      if (value !== undefined && value.denominator !== 0 && effect.pan === null) effect.pan = panValue(value.numerator / value.denominator);
    } else if (parameter.isA("VaryingValue") && effect.automation === null && effect.pan === null) {
      const points: { time: number; value: number; raw: string }[] = [];
      for (const point of parameter.objects("PointList")) {
        const time = asNumber(point.get("Time"));
        const value = asRational(point.get("Value"));
        if (time === undefined || value === undefined || value.denominator === 0) continue;
        points.push({ time, value: value.numerator / value.denominator, raw: `${value.numerator}/${value.denominator}` });
      }
      const [first, second] = points;
      if (points.length === 2 && first !== undefined && second !== undefined && first.raw === second.raw)
        effect.pan = panValue(first.value);
      else if (points.length > 0) effect.automation = inTimeOrder(points.map((p) => ({ time: p.time, value: panValue(p.value) })));
    }
  }
  return effect;
}
