import { chooseLoudness } from "./loudness-choice.ts";
import type { DeliverableMeasurement } from "./measurement.ts";
import type { DeliveryProfile } from "./profile.ts";

/** Where a deliverable came from: enough to make it again, byte for byte. */
export interface Provenance {
  readonly sessionId: string;
  readonly sessionVersion: number;
  /** The picture cut the tracklay was conformed to (its name or id), null when never conformed. */
  readonly pictureCut: string | null;
  readonly profileId: string;
  readonly engineVersion: string;
  /** Hash of the render plan (what was rendered from what). */
  readonly planHash: string;
}

export type QcStatus = "pass" | "fail" | "advisory";

export interface QcItem {
  readonly id: "loudness" | "true-peak" | "loudness-range" | "sample-rate" | "bit-depth" | "layout";
  readonly label: string;
  /** The spec, in words (e.g. "-27 ± 2 LUFS, dialogue-gated"). */
  readonly expected: string;
  /** The measured value; null when there is none (silence, not measured). */
  readonly measured: number | string | null;
  /** pass/fail against the spec; `advisory` for best-practice items outside their range (never a failure). */
  readonly status: QcStatus;
  readonly note?: string;
}

export interface QcReport {
  readonly deliverable: string;
  readonly profile: { readonly id: string; readonly name: string };
  readonly pass: boolean;
  readonly items: readonly QcItem[];
  readonly measurement: DeliverableMeasurement;
  readonly provenance: Provenance;
}

/** Judges a deliverable, measured as written, against its profile: one item per spec line. */
export function qcReport(
  deliverable: string,
  profile: DeliveryProfile,
  m: DeliverableMeasurement,
  provenance: Provenance,
  options: { judgeLoudness?: boolean } = {},
): QcReport {
  const items: QcItem[] = [];
  const choice = chooseLoudness(profile, m);
  // A stem is not mixed to the programme's target: its loudness is reported, not judged.
  const judged = options.judgeLoudness ?? true;
  const t = choice.target;
  const kind = t.measurement === "dialogue-gated" ? "dialogue-gated" : "programme";
  const loudnessPass =
    choice.problem === undefined && choice.measuredLufs !== null && Math.abs(choice.measuredLufs - t.targetLufs) <= t.toleranceLu + 1e-9;
  items.push({
    id: "loudness",
    label: `Loudness (${kind})`,
    expected: `${t.targetLufs} ± ${t.toleranceLu} LUFS, ${kind}`,
    measured: choice.measuredLufs === null ? null : round2(choice.measuredLufs),
    status: !judged ? "advisory" : loudnessPass ? "pass" : "fail",
    ...(!judged
      ? { note: "the loudness target applies to the printmaster; measured for information" }
      : (choice.problem ?? choice.note ?? (choice.measuredLufs === null ? "silent programme" : undefined)) && {
          note: choice.problem ?? choice.note ?? "silent programme",
        }),
  });
  items.push({
    id: "true-peak",
    label: "True peak",
    expected: `≤ ${profile.truePeakMaxDbtp} dBTP`,
    measured: m.truePeakDbtp === null ? null : round2(m.truePeakDbtp),
    status: m.truePeakDbtp === null || m.truePeakDbtp <= profile.truePeakMaxDbtp + 1e-9 ? "pass" : "fail",
  });
  if (profile.loudnessRangeLu) {
    const r = profile.loudnessRangeLu;
    const inside = m.loudnessRangeLu !== null && m.loudnessRangeLu >= r.min && m.loudnessRangeLu <= r.max;
    items.push({
      id: "loudness-range",
      label: "Loudness range",
      expected: `${r.min} to ${r.max} LU${r.advisory ? " (best practice)" : ""}`,
      measured: m.loudnessRangeLu === null ? null : round2(m.loudnessRangeLu),
      status: inside ? "pass" : r.advisory ? "advisory" : "fail",
    });
  }
  items.push({
    id: "sample-rate",
    label: "Sample rate",
    expected: `${profile.format.sampleRateHz} Hz`,
    measured: m.sampleRateHz,
    status: m.sampleRateHz === profile.format.sampleRateHz ? "pass" : "fail",
  });
  items.push({
    id: "bit-depth",
    label: "Bit depth",
    expected: `${profile.format.bitDepths.join(" or ")} bit`,
    measured: m.bitDepth,
    status: profile.format.bitDepths.includes(m.bitDepth) ? "pass" : "fail",
  });
  items.push({
    id: "layout",
    label: "Channel layout",
    expected: profile.format.layouts.join(" or "),
    measured: m.layout,
    status: profile.format.layouts.includes(m.layout) ? "pass" : "fail",
  });
  return {
    deliverable,
    profile: { id: profile.id, name: profile.name },
    pass: items.every((i) => i.status !== "fail"),
    items,
    measurement: m,
    provenance,
  };
}

/** The report for people: one line per item, then the provenance. */
export function formatQcReport(report: QcReport): string {
  const lines = [`QC ${report.deliverable} against ${report.profile.name} (${report.profile.id}): ${report.pass ? "PASS" : "FAIL"}`];
  const width = Math.max(...report.items.map((i) => i.label.length));
  for (const item of report.items) {
    const measured = item.measured === null ? "—" : String(item.measured);
    lines.push(
      `  ${item.status.toUpperCase().padEnd(8)} ${item.label.padEnd(width)}  ${measured.padStart(8)}   expected ${item.expected}${item.note ? `  (${item.note})` : ""}`,
    );
  }
  const p = report.provenance;
  lines.push(
    `  from session ${p.sessionId} v${p.sessionVersion}, picture cut ${p.pictureCut ?? "(none)"}, engine ${p.engineVersion}, plan ${p.planHash}`,
  );
  return lines.join("\n");
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
