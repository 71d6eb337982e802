import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  BUILT_IN_PROFILES,
  type DeliverableMeasurement,
  deliveryProfile,
  formatQcReport,
  InvalidDeliveryProfileError,
  parseDeliveryProfile,
  planNormalisation,
  qcReport,
  UnknownDeliveryProfileError,
} from "./index.ts";

const SPECS = fileURLToPath(new URL("../../../../shared/reference/delivery-specs.json", import.meta.url));
const specsMissing = existsSync(SPECS) ? undefined : `the reference is not at ${SPECS} (a clone beside ../shared has it)`;
if (specsMissing) console.warn(`[delivery] reference cross-check skipped: ${specsMissing}`);

const measured = (over: Partial<DeliverableMeasurement> = {}): DeliverableMeasurement => ({
  integratedLufs: -24.6,
  dialogueGatedLufs: -26.1,
  dialoguePercent: 42,
  loudnessRangeLu: 9.3,
  truePeakDbtp: -4.2,
  samplePeakDbfs: -4.5,
  sampleRateHz: 48000,
  bitDepth: 24,
  layout: "5.1",
  ...over,
});
const provenance = {
  sessionId: "s-1",
  sessionVersion: 812,
  pictureCut: "LOCK v3",
  profileId: "netflix-nearfield",
  engineVersion: "mix 1",
  planHash: "sha256:ab12",
};

describe("built-in profiles", () => {
  it.skipIf(specsMissing !== undefined)("carry the reference's targets, tolerances and true-peak ceilings", () => {
    const specs = JSON.parse(readFileSync(SPECS, "utf8")).specs as {
      id: string;
      loudness: Record<string, unknown>;
      true_peak_max_dbtp: number;
    }[];
    for (const profile of BUILT_IN_PROFILES) {
      const spec = specs.find((s) => s.id === profile.source);
      expect(spec, `${profile.id} names spec ${profile.source}`).toBeDefined();
      const l = spec!.loudness;
      expect(profile.loudness.targetLufs).toBe(l.target_lkfs ?? l.target_lufs);
      if (typeof l.tolerance_lu === "number" || typeof l.tolerance_db === "number")
        expect(profile.loudness.toleranceLu).toBe(l.tolerance_lu ?? l.tolerance_db);
      expect(profile.truePeakMaxDbtp).toBe(spec!.true_peak_max_dbtp);
    }
    // EBU R 128's file-based tolerance is the v4 (2020) one, stated in words in the reference.
    expect(JSON.stringify(specs.find((s) => s.id === "ebu-r128")?.loudness)).toContain("+/-0.2 LU");
    const netflix = specs.find((s) => s.id === "netflix-nearfield-printmaster")!.loudness.fallback as { target_lkfs: number };
    expect(deliveryProfile("netflix-nearfield").loudness).toMatchObject({
      fallback: { targetLufs: netflix.target_lkfs, whenDialogueBelowPercent: 15 },
    });
  });

  it("are found by id; an unknown id names the known ones; a studio's profile wins on its id", () => {
    expect(deliveryProfile("ebu-r128").loudness).toEqual({ measurement: "programme", targetLufs: -23, toleranceLu: 0.2 });
    expect(() => deliveryProfile("bbc")).toThrow(UnknownDeliveryProfileError);
    expect(() => deliveryProfile("bbc")).toThrow(/known: netflix-nearfield, amazon-nearfield, ebu-r128, atsc-a85/);
    const own = parseDeliveryProfile({ ...structuredClone(deliveryProfile("ebu-r128")), name: "Our R128", truePeakMaxDbtp: -3 });
    expect(deliveryProfile("ebu-r128", [own]).truePeakMaxDbtp).toBe(-3);
  });

  it("refuses a malformed profile, naming the field", () => {
    const good = structuredClone(deliveryProfile("atsc-a85")) as unknown as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => () => parseDeliveryProfile({ ...good, ...patch });
    expect(bad({ id: "Has Space" })).toThrow(/delivery profile: id must be lower-case/);
    expect(bad({ loudness: { measurement: "peak", targetLufs: -24, toleranceLu: 2 } })).toThrow(/loudness.measurement must be/);
    expect(bad({ loudness: { measurement: "programme", targetLufs: 3, toleranceLu: 2 } })).toThrow(
      /loudness.targetLufs must be a number from -70 to 0/,
    );
    expect(bad({ loudness: { measurement: "programme", targetLufs: -24, toleranceLu: 2, fallback: {} } })).toThrow(/fallback only applies/);
    expect(bad({ truePeakMaxDbtp: "x" })).toThrow(InvalidDeliveryProfileError);
    expect(bad({ format: { sampleRateHz: 48000, bitDepths: [20], layouts: ["5.1"] } })).toThrow(/format.bitDepths/);
    expect(bad({ format: { sampleRateHz: 48000, bitDepths: [24], layouts: ["quad"] } })).toThrow(/format.layouts/);
  });
});

describe("which loudness a profile judges", () => {
  const netflix = deliveryProfile("netflix-nearfield");
  it("dialogue-gated when the dialogue stem speaks often enough, else the programme fallback", () => {
    expect(qcReport("printmaster", netflix, measured(), provenance).items[0]).toMatchObject({
      label: "Loudness (dialogue-gated)",
      measured: -26.1,
      status: "pass",
    });
    const sparse = qcReport("printmaster", netflix, measured({ dialoguePercent: 9.5 }), provenance).items[0];
    expect(sparse).toMatchObject({ label: "Loudness (programme)", measured: -24.6, expected: "-24 ± 2 LUFS, programme", status: "pass" });
    expect(sparse?.note).toContain("dialogue in 9.5% of the programme (< 15%)");
    const noDx = qcReport("printmaster", netflix, measured({ dialogueGatedLufs: undefined }), provenance).items[0];
    expect(noDx).toMatchObject({ label: "Loudness (programme)", status: "pass" });
    expect(noDx?.note).toContain("no dialogue stem");
  });
  it("fails a dialogue-gated profile without fallback when the dialogue stem was not measured", () => {
    const item = qcReport("printmaster", deliveryProfile("amazon-nearfield"), measured({ dialogueGatedLufs: undefined }), provenance)
      .items[0];
    expect(item).toMatchObject({ status: "fail", measured: null });
    expect(item?.note).toContain("needs the dialogue stem");
  });
});

describe("normalisation: one static gain", () => {
  it("brings the judged loudness to the target", () => {
    expect(planNormalisation(deliveryProfile("ebu-r128"), measured({ integratedLufs: -20.35, truePeakDbtp: -6 }))).toEqual({
      gainDb: -2.65,
      truePeakAfterDbtp: -8.65,
      meetsTruePeak: true,
      notes: [],
    });
    // Netflix judges dialogue-gated: -26.1 → -27 is -0.9 dB.
    expect(planNormalisation(deliveryProfile("netflix-nearfield"), measured()).gainDb).toBe(-0.9);
  });
  it("says when the true-peak ceiling cannot be met by gain alone, and never limits", () => {
    const plan = planNormalisation(deliveryProfile("atsc-a85"), measured({ integratedLufs: -30, truePeakDbtp: -5 }));
    expect(plan).toMatchObject({ gainDb: 6, truePeakAfterDbtp: 1, meetsTruePeak: false });
    expect(plan.notes[0]).toBe(
      "the true-peak ceiling of -2 dBTP cannot be met by gain alone: after +6.00 dB the true peak is 1.00 dBTP; no limiting is applied",
    );
    const peak = planNormalisation(deliveryProfile("atsc-a85"), measured({ integratedLufs: -30, truePeakDbtp: -5 }), { preferPeak: true });
    expect(peak).toMatchObject({ gainDb: 3, truePeakAfterDbtp: -2, meetsTruePeak: true });
    expect(peak.notes[0]).toContain("loudness misses its target by 3.00 LU");
  });
  it("applies no gain to silence", () => {
    expect(planNormalisation(deliveryProfile("ebu-r128"), measured({ integratedLufs: null, truePeakDbtp: null }))).toMatchObject({
      gainDb: 0,
      notes: ["silent programme: no gain applied"],
    });
  });
});

describe("the QC report", () => {
  it("judges every spec item, keeps best practice advisory, and carries the provenance", () => {
    const report = qcReport(
      "printmaster 5.1",
      deliveryProfile("netflix-nearfield"),
      measured({ truePeakDbtp: -1.4, loudnessRangeLu: 21.2, bitDepth: 16, layout: "7.1" }),
      provenance,
    );
    expect(report.pass).toBe(false);
    expect(Object.fromEntries(report.items.map((i) => [i.id, i.status]))).toEqual({
      loudness: "pass",
      "true-peak": "fail",
      "loudness-range": "advisory",
      "sample-rate": "pass",
      "bit-depth": "fail",
      layout: "fail",
    });
    expect(report.provenance).toEqual(provenance);
    const text = formatQcReport(report).split("\n");
    expect(text[0]).toBe("QC printmaster 5.1 against Netflix near-field printmaster (netflix-nearfield): FAIL");
    expect(text.find((l) => l.includes("True peak"))).toMatch(/^ {2}FAIL +True peak +-1\.4 {3}expected ≤ -2 dBTP$/);
    expect(text.at(-1)).toBe("  from session s-1 v812, picture cut LOCK v3, engine mix 1, plan sha256:ab12");
    expect(qcReport("printmaster", deliveryProfile("netflix-nearfield"), measured(), provenance).pass).toBe(true);
  });
  it("fails loudness just outside the tolerance and passes it on the edge", () => {
    const r128 = deliveryProfile("ebu-r128");
    expect(qcReport("pm", r128, measured({ integratedLufs: -23.2 }), provenance).items[0]?.status).toBe("pass");
    expect(qcReport("pm", r128, measured({ integratedLufs: -23.21 }), provenance).items[0]?.status).toBe("fail");
    expect(qcReport("pm", r128, measured({ integratedLufs: null }), provenance).items[0]).toMatchObject({
      status: "fail",
      note: "silent programme",
    });
  });
  it("reports a stem's loudness without judging it against the programme target", () => {
    const stem = qcReport("DX 5.1", deliveryProfile("ebu-r128"), measured({ integratedLufs: -31 }), provenance, { judgeLoudness: false });
    expect(stem.items[0]).toMatchObject({ status: "advisory", measured: -31 });
    expect(stem.items[0]?.note).toContain("applies to the printmaster");
    expect(stem.pass).toBe(true);
  });
});
