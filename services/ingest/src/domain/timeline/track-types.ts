import type { TrackType } from "@dubstage/session/domain";

/** A rule giving a track type to an interchange track name; the first matching rule wins. */
export interface TrackTypeRule {
  readonly pattern: RegExp;
  readonly type: TrackType;
}

// A word inside a track name: not preceded or followed by a letter, so "DX1", "FX 3", "A2 Boom" and
// "SFX-Hard" match but "Box" or "Lavender" do not.
function words(...alternatives: string[]): RegExp {
  return new RegExp(`(?:^|[^\\p{L}])(?:${alternatives.join("|")})(?![\\p{L}])`, "iu");
}

/**
 * The default rules, in order. Foley and backgrounds come before effects ("BG FX" is a background), effects
 * before music, and dialogue words last; a name matching none is dialogue (DX), the bulk of any turnover.
 */
export const DEFAULT_TRACK_TYPE_RULES: readonly TrackTypeRule[] = Object.freeze([
  { pattern: words("foley", "fol", "footsteps?", "feet", "props?", "cloth"), type: "FOLEY" },
  { pattern: words("bgs?", "amb", "ambs", "ambiences?", "ambience", "atmos?", "atmospheres?", "backgrounds?", "backgrnd"), type: "BG" },
  { pattern: words("fx", "sfx", "pfx", "effects?", "sound ?effects?", "hard ?fx", "design"), type: "FX" },
  { pattern: words("mx", "music", "score", "songs?", "source ?music", "temp ?music"), type: "MX" },
  {
    pattern: words(
      "dx",
      "dia",
      "dial",
      "dialog",
      "dialogue",
      "prod",
      "production",
      "boom",
      "booms",
      "lav",
      "lavs",
      "adr",
      "vo",
      "v/o",
      "walla",
      "group",
    ),
    type: "DX",
  },
]);

/** The track type of an interchange track name: the caller's rules first, then the defaults, else DX. */
export function trackTypeForName(name: string, rules: readonly TrackTypeRule[] = []): TrackType {
  for (const rule of [...rules, ...DEFAULT_TRACK_TYPE_RULES]) {
    rule.pattern.lastIndex = 0; // a /g or /y pattern keeps state between calls
    if (rule.pattern.test(name)) return rule.type;
  }
  return "DX";
}
