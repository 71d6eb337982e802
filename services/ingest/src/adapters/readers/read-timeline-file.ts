import { openAafForIngest } from "@dubstage/aaf";
import { openFileByteSource } from "@dubstage/aaf/node";
import { openOmf } from "@dubstage/omf";
import type { EssenceFacts, ReadTimeline } from "../../app/ports.ts";
import type { TimelineFormat } from "../../domain/job/index.ts";

export interface ReadFileOptions {
  readonly ptTrueFades: boolean;
  readonly ptRemoveSae: boolean;
}

/**
 * Reads an AAF or OMF file into the interchange document and the facts relinking needs per essence.
 * Runs inside the reader worker (limits of memory and time), or directly in tests.
 */
export async function readTimelineFile(path: string, format: TimelineFormat, options: ReadFileOptions): Promise<ReadTimeline> {
  const source = await openFileByteSource(path);
  try {
    if (format === "aaf") {
      const file = await openAafForIngest(source, { ptTrueFades: options.ptTrueFades, ptRemoveSae: options.ptRemoveSae });
      const essences: EssenceFacts[] = file.essences.map((e) => ({
        name: e.name,
        embedded: e.embedded !== null,
        uri: e.uri,
        fileMobId: e.fileMobId,
        tapeName: e.tapeName,
        sourceTimecode: e.sourceTimecode,
        channels: e.channels,
        sampleRate: e.sampleRate,
        bitDepth: e.bitDepth,
        lengthSamples: e.lengthSamples,
        mxf: e.mxf,
        embeddedDataBytes: e.embedded?.dataBytes ?? null,
      }));
      return { format, document: file.document, essences };
    }
    const omf = await openOmf(source);
    const essences: EssenceFacts[] = omf.document.essences.map((e) => ({
      name: e.name,
      embedded: e.embedded,
      uri: e.uri,
      fileMobId: null,
      tapeName: null,
      sourceTimecode: null,
      channels: e.channels,
      sampleRate: e.sampleRate,
      bitDepth: e.bitDepth,
      lengthSamples: e.length,
      mxf: false,
      embeddedDataBytes: null,
    }));
    return { format, document: omf.document, essences };
  } finally {
    await source.close();
  }
}
