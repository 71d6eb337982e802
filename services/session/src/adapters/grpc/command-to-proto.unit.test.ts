import { sessionService } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { EDIT_COMMAND_TYPES, type EditCommand, type EditCommandType } from "../../domain/index.ts";
import { mediaKeyFor } from "../../domain/test-fixtures.ts";
import { fromProtoCommand, fromProtoCommands } from "./command-mapping.ts";
import { toProtoCommand, toProtoCommands } from "./command-to-proto.ts";

const KEY = mediaKeyFor("A001.wav");
const KEY_R = mediaKeyFor("A001.R.wav");
const RENDER_KEY = "renders/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d";
const QC_KEY = "renders/9e0f1a2b-3f4d-4a6b-8c7d-0b5c2a1e3c4d";

/**
 * Representative commands of every edit command type, each field set at least once. The mapped type makes
 * this fail to compile when a command type is added without samples; the test below fails when one is
 * missing from EDIT_COMMAND_TYPES.
 */
const SAMPLES: { readonly [T in EditCommandType]: readonly Extract<EditCommand, { type: T }>[] } = {
  AddTrack: [
    {
      type: "AddTrack",
      trackId: "a1",
      name: "A1",
      trackType: "DX",
      channelFormat: "STEREO",
      index: 0,
      mix: { volumeDb: -3.5, pan: -0.25, muted: true, solo: false },
    },
    { type: "AddTrack", trackId: "a2", name: "A2", trackType: "FOLEY", channelFormat: "7.1" },
    { type: "AddTrack", trackId: "a3", name: "A3", trackType: "BG", channelFormat: "5.1", mix: { pan: 0.5 } },
  ],
  RenameTrack: [{ type: "RenameTrack", trackId: "a1", name: "ADR" }],
  RemoveTrack: [{ type: "RemoveTrack", trackId: "a2" }],
  PlaceClip: [
    {
      type: "PlaceClip",
      clip: {
        clipId: "c1",
        trackId: "a1",
        name: "Sc 12 Tk 3",
        position: 172_800_000,
        length: 48_000,
        source: {
          mediaKey: KEY,
          sourceOffset: 4800,
          sourceLength: 96_000,
          channel: 1,
          channelSources: [
            { mediaKey: KEY, channel: 1 },
            { mediaKey: KEY_R, channel: 1 },
          ],
        },
        gainDb: -2.5,
        muted: true,
        fadeIn: { length: 480, shape: "EQUAL_POWER" },
        fadeOut: { length: 960, shape: "S_CURVE" },
        provenance: { imported: { importId: "job-1", fileName: "R1.aaf", mobId: "urn:smpte:umid:060a2b34" } },
        take: { scene: "12", take: "3", soundRoll: "SR4" },
        volume: [
          { offset: 0, gainDb: -6 },
          { offset: 48_000, gainDb: 1.5 },
        ],
      },
    },
    {
      type: "PlaceClip",
      clip: {
        clipId: "c2",
        trackId: "fx-1",
        name: "Door",
        position: 0,
        length: 10,
        source: { mediaKey: KEY, sourceOffset: 0, sourceLength: 10, channel: 2 },
        gainDb: 0,
        muted: false,
        provenance: { spotted: { assetId: "ucs-DOOR-123" } },
      },
    },
    {
      type: "PlaceClip",
      clip: {
        clipId: "c3",
        trackId: "dx-1",
        name: "Line (de-noised)",
        position: 5,
        length: 10,
        source: { mediaKey: KEY, sourceOffset: 0, sourceLength: 10, channel: 1 },
        gainDb: 3,
        muted: false,
        provenance: { repairRender: { sourceClipId: "c1", process: "de-noise", renderJobId: "r-9" } },
      },
    },
  ],
  MoveClip: [
    { type: "MoveClip", clipId: "c1", position: 96_000 },
    { type: "MoveClip", clipId: "c1", trackId: "a3", position: 0 },
  ],
  TrimClip: [
    { type: "TrimClip", clipId: "c1", start: 100 },
    { type: "TrimClip", clipId: "c1", end: 900 },
    { type: "TrimClip", clipId: "c1", start: 0, end: 10 },
  ],
  SplitClip: [{ type: "SplitClip", clipId: "c1", position: 172_824_000, newClipId: "c1b" }],
  RemoveClip: [{ type: "RemoveClip", clipId: "c2" }],
  SetFades: [
    { type: "SetFades", clipId: "c1", fadeIn: { length: 100, shape: "LOGARITHMIC" }, fadeOut: { length: 50, shape: "EXPONENTIAL" } },
    { type: "SetFades", clipId: "c1", fadeOut: { length: 0, shape: "LINEAR" } },
  ],
  SetCrossfade: [
    { type: "SetCrossfade", outgoingClipId: "c1", incomingClipId: "c2", length: 480, shape: "EQUAL_POWER", alignment: "POST_CUT" },
    { type: "SetCrossfade", outgoingClipId: "c1", incomingClipId: "c2", length: 0, shape: "LINEAR", alignment: "CENTERED" },
  ],
  SetClipGain: [{ type: "SetClipGain", clipId: "c1", gainDb: -12.25 }],
  AddMarker: [
    { type: "AddMarker", markerId: "m1", position: 172_800_000, name: "Loop 12", comment: "ADR: softer", color: "#ff8800", length: 96_000 },
    { type: "AddMarker", markerId: "m2", position: 0, name: "FFOA" },
  ],
  SetClipAutomation: [
    { type: "SetClipAutomation", clipId: "c1", volume: [{ offset: 480, gainDb: -12.5 }] },
    { type: "SetClipAutomation", clipId: "c1", volume: [] },
  ],
  SetTrackMix: [
    { type: "SetTrackMix", trackId: "a1", volumeDb: -144, pan: 1, muted: false, solo: true },
    { type: "SetTrackMix", trackId: "a1", pan: 0 },
  ],
  SetTrackAutomation: [
    {
      type: "SetTrackAutomation",
      trackId: "a1",
      lane: "VOLUME",
      points: [
        { position: 0, value: -144 },
        { position: 172_800_000, value: -3.25 },
        { position: 172_848_000, value: 12 },
      ],
    },
    { type: "SetTrackAutomation", trackId: "a1", lane: "PAN", points: [{ position: 2 ** 40, value: -1 }] },
    { type: "SetTrackAutomation", trackId: "a1", lane: "PAN", points: [] },
  ],
  RegisterMedia: [
    {
      type: "RegisterMedia",
      mediaKey: KEY,
      fileName: "A001.wav",
      channels: 2,
      sampleRate: 48_000,
      bitDepth: 24,
      lengthSamples: 10_000_000_000,
      origin: "linked",
      sourceUri: "file:///turnover/A001.wav",
      identity: { mobId: "urn:smpte:umid:060a2b34", tapeName: "SR004", sourceTimecode: "14:02:11:05" },
    },
    {
      type: "RegisterMedia",
      mediaKey: KEY_R,
      fileName: "A001.R.wav",
      channels: 1,
      sampleRate: 96_000,
      bitDepth: 32,
      lengthSamples: 1,
      origin: "embedded",
      identity: { tapeName: "SR004" },
    },
  ],
  RecordIngestStarted: [
    { type: "RecordIngestStarted", jobId: "job-1", fileName: "R1.aaf", format: "aaf", sourceKey: "staging/job-1/R1.aaf" },
    { type: "RecordIngestStarted", jobId: "job-2", fileName: "R2.omf", format: "omf", sourceKey: "staging/job-2/R2.omf" },
    { type: "RecordIngestStarted", jobId: "job-3", fileName: "R1.mov", format: "video", sourceKey: "staging/job-3/R1.mov" },
  ],
  RecordIngestProgress: [{ type: "RecordIngestProgress", jobId: "job-1", phase: "media", done: 3, total: 9_000_000_000 }],
  RecordIngestCompleted: [
    {
      type: "RecordIngestCompleted",
      jobId: "job-1",
      summary: {
        tracks: 24,
        clips: 50_000,
        crossfades: 310,
        markers: 4,
        mediaEmbedded: 12,
        mediaLinked: 880,
        mediaMissing: 2,
        warnings: 7,
      },
    },
  ],
  RecordIngestFailed: [{ type: "RecordIngestFailed", jobId: "job-2", phase: "parse", reason: "not an OMF file:\nbad Bento label" }],
  RecordRenderStarted: [
    {
      type: "RecordRenderStarted",
      renderId: "render-1",
      sessionVersion: 9_000_000_000,
      profileId: "netflix",
      planHash: `sha256:${"0f".repeat(32)}`,
      deliverables: ["printmaster 5.1", "DX 5.1", "M&E 5.1"],
      chunks: 4_000_000_000,
    },
    { type: "RecordRenderStarted", renderId: "render-2", sessionVersion: 1, profileId: "atsc", planHash: "x", deliverables: [], chunks: 0 },
  ],
  RecordRenderProgress: [
    { type: "RecordRenderProgress", renderId: "render-1", done: 3, total: 9_000_000_000, stem: "M&E" },
    { type: "RecordRenderProgress", renderId: "render-1", done: 0, total: 0 },
    // proto3 `optional`: an empty stem is sent as set, and comes back set (the domain then refuses it).
    { type: "RecordRenderProgress", renderId: "render-1", done: 1, total: 2, stem: "" },
  ],
  RecordRenderCompleted: [
    {
      type: "RecordRenderCompleted",
      renderId: "render-1",
      deliverables: [
        {
          name: "printmaster 5.1",
          mediaKey: RENDER_KEY,
          qcReportKey: QC_KEY,
          layout: "5.1",
          integratedLufs: -27.123456789,
          truePeakDbtp: -200,
          qcPass: true,
        },
        { name: "DX 5.1", mediaKey: QC_KEY, qcReportKey: RENDER_KEY, layout: "5.1", integratedLufs: 30, truePeakDbtp: 0, qcPass: false },
      ],
      chunksRendered: 4_294_967_295,
      chunksReused: 7,
    },
    { type: "RecordRenderCompleted", renderId: "render-2", deliverables: [], chunksRendered: 0, chunksReused: 0 },
  ],
  RecordRenderFailed: [{ type: "RecordRenderFailed", renderId: "render-1", reason: "chunk 12:\nout of memory" }],
};

const noIds = () => {
  throw new Error("every sample sets its ids");
};

/** Through the wire too: what a client's encoding and the server's decoding leave of it. */
function overTheWire(command: sessionService.Command): sessionService.Command {
  return sessionService.Command.decode(sessionService.Command.encode(command).finish());
}

describe("toProtoCommand", () => {
  it("has samples for exactly the listed edit command types", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...EDIT_COMMAND_TYPES].sort());
    for (const type of EDIT_COMMAND_TYPES) expect(SAMPLES[type].length, type).toBeGreaterThan(0);
  });

  it.each(EDIT_COMMAND_TYPES.map((type) => [type]))("maps %s so that fromProtoCommand gives it back, over the wire too", (type) => {
    for (const command of SAMPLES[type]) {
      const proto = toProtoCommand(command);
      const set = Object.entries(proto).filter(([, value]) => value !== undefined);
      expect(set, "exactly one oneof case").toHaveLength(1);
      expect(fromProtoCommand(proto, "commands[0]", noIds)).toEqual(command);
      expect(fromProtoCommand(overTheWire(proto), "commands[0]", noIds)).toEqual(command);
    }
  });

  it("maps a batch in order", () => {
    const all = EDIT_COMMAND_TYPES.flatMap((type) => SAMPLES[type] as readonly EditCommand[]);
    expect(fromProtoCommands(toProtoCommands(all).map(overTheWire), noIds)).toEqual(all);
  });

  it("sends what proto3 cannot leave unset as its default", () => {
    const clip = { ...SAMPLES.PlaceClip[1]!.clip };
    delete (clip as { gainDb?: number }).gainDb;
    delete (clip as { muted?: boolean }).muted;
    expect(fromProtoCommand(toProtoCommand({ type: "PlaceClip", clip }), "c", noIds)).toEqual(SAMPLES.PlaceClip[1]);
  });
});
