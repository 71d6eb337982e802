import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { MediaStore } from "@dubstage/media-store";
import type { RenderClient } from "@dubstage/platform";
import type { renderService } from "@dubstage/proto";
import { isEnded, safeFileStem } from "./render-view.ts";

// What `dubstage render` and `dubstage demo` share: following a render to its end, reading its QC reports
// and writing its deliverables out of the media store.

/** Watches the render until it ends; `onUpdate` sees every state. Resolves with the ended render. */
export async function followRender(
  renders: RenderClient,
  renderId: string,
  onUpdate: (render: renderService.Render) => void,
  signal?: AbortSignal,
): Promise<renderService.Render> {
  let last: renderService.Render | undefined;
  for await (const render of renders.watchRender(renderId, { ...(signal && { signal }) })) {
    last = render;
    onUpdate(render);
  }
  // The stream ends when the render does; a stream cut short is answered by GetRender.
  if (last === undefined || !isEnded(last)) last = await renders.getRender(renderId, { ...(signal && { signal }) });
  if (!isEnded(last)) throw new Error(`WatchRender ended while render ${renderId} was still running`);
  return last;
}

async function readAll(store: MediaStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A deliverable's QC report as stored by the renderer. */
export interface StoredQcReport {
  readonly report: { readonly pass: boolean };
  readonly normalisation: unknown;
  /** The report for people (`formatQcReport` of @dubstage/delivery). */
  readonly text: string;
}

export async function readQcReport(store: MediaStore, key: string): Promise<{ bytes: Buffer; report: StoredQcReport }> {
  const bytes = await readAll(store, key);
  return { bytes, report: JSON.parse(bytes.toString("utf8")) as StoredQcReport };
}

/**
 * Writes every deliverable's WAV (streamed) and QC report into `outDir` as `<safe name>.wav` and
 * `<safe name>.qc.json`; resolves with the names by media key, and the printmaster's QC text.
 */
export async function writeDeliverables(
  store: MediaStore,
  render: renderService.Render,
  outDir: string,
  onFile: (file: string) => void = () => {},
): Promise<{ files: Map<string, { file: string; qcFile: string }>; qcTexts: Map<string, string> }> {
  await mkdir(outDir, { recursive: true });
  const files = new Map<string, { file: string; qcFile: string }>();
  const qcTexts = new Map<string, string>();
  const used = new Set<string>();
  for (const d of render.deliverables) {
    let stem = safeFileStem(d.name);
    for (let n = 2; used.has(stem); n++) stem = `${safeFileStem(d.name)}_${n}`;
    used.add(stem);
    const file = `${stem}.wav`;
    const qcFile = `${stem}.qc.json`;
    await pipeline(await store.get(d.mediaKey), createWriteStream(join(outDir, file)));
    onFile(join(outDir, file));
    const { bytes, report } = await readQcReport(store, d.qcReportKey);
    await writeFile(join(outDir, qcFile), bytes);
    onFile(join(outDir, qcFile));
    qcTexts.set(d.mediaKey, report.text);
    files.set(d.mediaKey, { file, qcFile });
  }
  return { files, qcTexts };
}
