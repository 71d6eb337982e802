import { SessionValidationError } from "./errors.ts";
import { requireMediaKey } from "./media-key.ts";
import {
  type ChannelSource,
  FADE_SHAPES,
  type Fade,
  MAX_GAIN_DB,
  MIN_GAIN_DB,
  type Provenance,
  type SourceMedia,
  type TakeInfo,
} from "./model.ts";

// Field checks shared by the deciders. Each throws SessionValidationError naming the field, so bad input
// arriving from any transport gets the same clear message.

const MAX_ID_LENGTH = 200;
const MAX_NAME_LENGTH = 255;
const MAX_SOURCE_CHANNEL = 64;

function invalid(field: string, message: string): SessionValidationError {
  return new SessionValidationError(`${field}: ${message}`, "invalid-value", field);
}

export function requireId(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "" || value !== value.trim()) {
    throw invalid(field, "must be a non-empty id without surrounding spaces");
  }
  if (value.length > MAX_ID_LENGTH) throw invalid(field, `must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}

// Control characters (C0, DEL, C1: escape sequences among them) and bidirectional overrides would reach
// every terminal, log line and UI that shows a name; free text may still hold tabs and line breaks.
function isForbidden(code: number, allowLineBreaks: boolean): boolean {
  if (allowLineBreaks && (code === 0x09 || code === 0x0a || code === 0x0d)) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function forbiddenCharacter(value: string, allowLineBreaks: boolean, field: string): void {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (!isForbidden(code, allowLineBreaks)) continue;
    const hex = code.toString(16).toUpperCase().padStart(4, "0");
    throw invalid(field, `must not contain control or direction-override characters (U+${hex} at index ${i})`);
  }
}

/** A display name: trimmed, non-empty, at most 255 characters, no control or direction-override characters. */
export function requireName(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalid(field, "must be a non-empty name");
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH) throw invalid(field, `must be at most ${MAX_NAME_LENGTH} characters`);
  forbiddenCharacter(name, false, field);
  return name;
}

/** Free text (comments): at most `maxLength` characters; tabs and line breaks allowed, other controls not. */
export function requireText(value: unknown, field: string, maxLength = 4000): string {
  if (typeof value !== "string") throw invalid(field, "must be a string");
  if (value.length > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
  forbiddenCharacter(value, true, field);
  return value;
}

/** Free text that must say something: not empty or only spaces. */
export function requireNonEmptyText(value: unknown, field: string, maxLength: number): string {
  const text = requireText(value, field, maxLength);
  if (text.trim() === "") throw invalid(field, "must not be empty");
  return text;
}

/** An integer sample count or position, at least `min`. */
export function requireSamples(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw invalid(field, `must be a whole number of samples, got ${String(value)}`);
  if (value < min) throw invalid(field, min === 0 ? `must not be negative, got ${value}` : `must be at least ${min}, got ${value}`);
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function requireGain(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(field, `must be a number of dB, got ${String(value)}`);
  if (value < MIN_GAIN_DB || value > MAX_GAIN_DB) {
    throw new SessionValidationError(`${field}: ${value} dB is outside ${MIN_GAIN_DB} to +${MAX_GAIN_DB} dB`, "gain-out-of-range", field);
  }
  return value;
}

/** A fade; length 0 is allowed only where it means "remove". */
export function requireFade(value: unknown, field: string, allowZero: boolean): Fade {
  if (typeof value !== "object" || value === null) throw invalid(field, "must be a fade { length, shape }");
  const fade = value as Partial<Fade>;
  const length = requireSamples(fade.length, `${field}.length`, allowZero ? 0 : 1);
  if (length === 0) return { length: 0, shape: "LINEAR" };
  return { length, shape: requireOneOf(fade.shape, FADE_SHAPES, `${field}.shape`) };
}

export function requireSourceChannel(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_SOURCE_CHANNEL) {
    throw invalid(field, `must be a source channel from 1 to ${MAX_SOURCE_CHANNEL}, got ${String(value)}`);
  }
  return value;
}

/**
 * Multi-mono channel sources: exactly `channelCount` entries (one per channel of the clip's track), the
 * first equal to the source's own (mediaKey, channel). An empty list means none (proto3 cannot tell).
 */
function requireChannelSources(
  value: unknown,
  field: string,
  first: ChannelSource,
  channelCount: number,
): readonly ChannelSource[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid(field, "must be a list of { mediaKey, channel }");
  if (value.length === 0) return undefined;
  if (value.length !== channelCount) {
    throw invalid(field, `must have exactly one entry per channel of the track (${channelCount}), got ${value.length}`);
  }
  const sources = value.map((item: unknown, i): ChannelSource => {
    if (typeof item !== "object" || item === null) throw invalid(`${field}[${i}]`, "must be { mediaKey, channel }");
    const entry = item as Partial<ChannelSource>;
    return {
      mediaKey: requireMediaKey(entry.mediaKey, `${field}[${i}].mediaKey`),
      channel: requireSourceChannel(entry.channel, `${field}[${i}].channel`),
    };
  });
  const head = sources[0] as ChannelSource;
  if (head.mediaKey !== first.mediaKey || head.channel !== first.channel) {
    throw invalid(
      `${field}[0]`,
      `must equal the source's own mediaKey and channel (${first.mediaKey} channel ${first.channel}), got ${head.mediaKey} channel ${head.channel}`,
    );
  }
  return sources;
}

/** A clip's source; `channelCount` is the channels of the clip's track (for multi-mono channel sources). */
export function requireSource(value: unknown, field: string, clipLength: number, channelCount = 1): SourceMedia {
  if (typeof value !== "object" || value === null) throw invalid(field, "must be { mediaKey, sourceOffset, sourceLength, channel }");
  const source = value as Partial<SourceMedia>;
  const mediaKey = requireMediaKey(source.mediaKey, `${field}.mediaKey`);
  const sourceOffset = requireSamples(source.sourceOffset, `${field}.sourceOffset`, 0);
  const sourceLength = requireSamples(source.sourceLength, `${field}.sourceLength`, 1);
  const channel = requireSourceChannel(source.channel, `${field}.channel`);
  const channelSources = requireChannelSources(source.channelSources, `${field}.channelSources`, { mediaKey, channel }, channelCount);
  if (sourceOffset + clipLength > sourceLength) {
    throw new SessionValidationError(
      `${field}: the clip (offset ${sourceOffset} + length ${clipLength}) runs past the end of its ${sourceLength}-sample source media`,
      "beyond-source",
      `${field}.sourceOffset`,
    );
  }
  return { mediaKey, sourceOffset, sourceLength, channel, ...(channelSources !== undefined && { channelSources }) };
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** A colour "#rrggbb", returned in lower case. */
export function requireColor(value: unknown, field: string): string {
  if (typeof value !== "string" || !COLOR.test(value)) throw invalid(field, `must be a colour "#rrggbb", got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** A finite number in [min, max]. */
export function requireNumberIn(value: unknown, field: string, min: number, max: number, unit = ""): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(field, `must be a number, got ${String(value)}`);
  if (value < min || value > max) throw invalid(field, `${value}${unit} is outside ${min}${unit} to ${max}${unit}`);
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw invalid(field, `must be true or false, got ${String(value)}`);
  return value;
}

/** A whole number in [min, max]. */
export function requireIntegerIn(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

export function requireProvenance(value: unknown, field: string): Provenance {
  if (typeof value !== "object" || value === null) throw invalid(field, "must be an object");
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1) throw invalid(field, "must set exactly one of imported, spotted, repairRender");
  const inner = (value as Record<string, unknown>)[key!];
  if (typeof inner !== "object" || inner === null) throw invalid(`${field}.${key}`, "must be an object");
  const o = inner as Record<string, unknown>;
  switch (key) {
    case "imported":
      return {
        imported: {
          importId: requireId(o.importId, `${field}.imported.importId`),
          fileName: requireText(o.fileName ?? "", `${field}.imported.fileName`, 1000),
          mobId: requireText(o.mobId ?? "", `${field}.imported.mobId`, 200),
        },
      };
    case "spotted":
      return { spotted: { assetId: requireId(o.assetId, `${field}.spotted.assetId`) } };
    case "repairRender":
      return {
        repairRender: {
          sourceClipId: requireId(o.sourceClipId, `${field}.repairRender.sourceClipId`),
          process: requireName(o.process, `${field}.repairRender.process`),
          renderJobId: requireText(o.renderJobId ?? "", `${field}.repairRender.renderJobId`, 200),
        },
      };
    default:
      throw invalid(field, `unknown provenance "${key}"; expected imported, spotted or repairRender`);
  }
}

export function requireTake(value: unknown, field: string): TakeInfo {
  if (typeof value !== "object" || value === null) throw invalid(field, "must be { scene, take, soundRoll }");
  const take = value as Partial<TakeInfo>;
  return {
    scene: requireText(take.scene ?? "", `${field}.scene`, 100),
    take: requireText(take.take ?? "", `${field}.take`, 100),
    soundRoll: requireText(take.soundRoll ?? "", `${field}.soundRoll`, 100),
  };
}
