import type { Marker } from "@dubstage/interchange";
import type { AafObject, AafValue, Rational } from "../objects/index.ts";
import { convertUnits, integer, unwrap } from "./values.ts";

/** The high byte of each 16-bit component of Avid's CommentMarkerColor, as "#rrggbb". */
export function markerColor(value: AafValue | undefined): string | null {
  const v = unwrap(value);
  if (v?.kind !== "record") return null;
  const parts = ["red", "green", "blue"].map((field) => {
    const c = unwrap(v.fields[field]);
    return c?.kind === "integer" ? Number(c.value) : undefined;
  });
  if (parts.some((c) => c === undefined)) return null;
  return `#${parts.map((c) => ((c ?? 0) >> 8).toString(16).padStart(2, "0")).join("")}`;
}

function markerComponents(segment: AafObject | undefined): AafObject[] {
  if (segment === undefined) return [];
  if (segment.isA("Sequence")) return segment.objects("Components").filter((c) => c.isA("CommentMarker"));
  return segment.isA("CommentMarker") ? [segment] : [];
}

/**
 * Markers of the composition's EventMobSlots (and of DescriptiveMetadata timeline slots, where Media
 * Composer puts markers with a duration), in slot order, positioned in the composition's edit rate from
 * 00:00:00:00.
 */
export function collectMarkers(composition: AafObject, compositionRate: Rational, compositionStart: number): Marker[] {
  const markers: Marker[] = [];
  for (const slot of composition.objects("Slots")) {
    const rate = slot.rational("EditRate") ?? compositionRate;
    for (const marker of markerComponents(slot.object("Segment"))) {
      const position = integer(marker, "Position") ?? 0;
      markers.push({
        start: convertUnits(position, rate, compositionRate) + compositionStart,
        length: convertUnits(integer(marker, "Length") ?? 0, rate, compositionRate),
        name: marker.string("CommentMarkerUser") ?? marker.string("CommentMarkerUSer") ?? null,
        comment: marker.string("Comment") ?? null,
        color: markerColor(marker.get("CommentMarkerColor")),
      });
    }
  }
  return markers;
}
