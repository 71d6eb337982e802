import { renderService } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { formatRender } from "./format-render.ts";
import { safeFileStem, toRenderView } from "./render-view.ts";

const render = (partial: renderService.DeepPartial<renderService.Render>) =>
  renderService.Render.fromPartial({
    renderId: "r1",
    sessionId: "3f0c2b1e-8d4a-4c6e-9f10-2a7b5c9d0e11",
    sessionVersion: 7,
    profileId: "ebu-r128",
    layout: renderService.OutputLayout.OUTPUT_LAYOUT_STEREO,
    planHash: "sha256:abcdef0123456789",
    chunksTotal: 4,
    ...partial,
  });

describe("render file names", () => {
  it("keep only safe characters, so no deliverable name can leave the output directory", () => {
    expect(safeFileStem("printmaster 5.1")).toBe("printmaster_5.1");
    expect(safeFileStem("M&E 5.1")).toBe("m_e_5.1");
    expect(safeFileStem("../../etc/passwd")).toBe("etc_passwd");
    expect(safeFileStem("&&")).toBe("deliverable");
  });
});

describe("the RenderView and its text", () => {
  it("maps a completed render, with null for silence and the written files by media key", () => {
    const view = toRenderView(
      render({
        state: renderService.RenderState.RENDER_STATE_COMPLETED,
        deliverables: [
          {
            name: "DX 2.0",
            output: "DX",
            mediaKey: "renders/a",
            qcReportKey: "renders/aq",
            integratedLufs: -24.04,
            truePeakDbtp: -10.2,
            qcPass: true,
            frames: 96_000,
          },
          {
            name: "MX 2.0",
            output: "MX",
            mediaKey: "renders/b",
            qcReportKey: "renders/bq",
            qcPass: false,
            normalisationGainDb: 3,
            frames: 96_000,
          },
        ],
      }),
      "/out",
      new Map([["renders/a", { file: "dx_2.0.wav", qcFile: "dx_2.0.qc.json" }]]),
    );
    expect(view).toMatchObject({ layout: "stereo", state: "completed", error: null, sessionVersion: 7, outDir: "/out" });
    expect(view.deliverables[0]).toMatchObject({ file: "dx_2.0.wav", integratedLufs: -24.04, dialogueGatedLufs: null });
    expect(view.deliverables[1]).toMatchObject({ file: null, integratedLufs: null, truePeakDbtp: null, normalisationGainDb: 3 });
    const text = formatRender(view, "QC printmaster: FAIL");
    expect(text).toMatch(/ {2}DX 2\.0 +-24\.0 LUFS +-10\.2 dBTP {2}pass\n {2}MX 2\.0 +silent +silent {2}FAIL\n/);
    expect(text).toContain("QC FAILED: MX 2.0");
    expect(text.endsWith("QC printmaster: FAIL")).toBe(true);
  });

  it("a failed render keeps its reason, one per line", () => {
    const view = toRenderView(
      render({ state: renderService.RenderState.RENDER_STATE_FAILED, error: "DX chunk 0: boom\nMX chunk 1: bang" }),
      null,
      new Map(),
    );
    expect(view).toMatchObject({ state: "failed", error: "DX chunk 0: boom\nMX chunk 1: bang", deliverables: [] });
    expect(formatRender(view, undefined)).toBe(
      "render r1 of session 3f0c2b1e-8d4a-4c6e-9f10-2a7b5c9d0e11 at version 7 (ebu-r128, stereo) FAILED:\n  DX chunk 0: boom\n  MX chunk 1: bang",
    );
  });
});
