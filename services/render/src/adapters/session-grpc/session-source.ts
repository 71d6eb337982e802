import { type CallSettings, createClient, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import type { OutputLayout } from "@dubstage/mix";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { toProtoCommands } from "@dubstage/session";
import type { EditCommand } from "@dubstage/session/domain";
import { Metadata } from "@grpc/grpc-js";
import type { SessionSource } from "../../app/ports.ts";
import { sessionToMixPlan } from "./session-to-plan.ts";

const VOLUME = sessionTimeline.AutomationLane.AUTOMATION_LANE_VOLUME;
const PAN = sessionTimeline.AutomationLane.AUTOMATION_LANE_PAN;

/**
 * The session service over gRPC, each call with the render caller's token. Reads the exact version with
 * StreamSession (bounded messages whatever the session's size) and records the render's lifecycle with
 * ExecuteCommands under an idempotency key, so a coordinator that runs a render again records nothing twice.
 */
export function sessionSource(address: string): SessionSource & { close(): void } {
  const client = createClient(sessionService.SessionServiceClient, address, { defaultDeadlineMs: 60_000 });
  const settings = (token: string, signal: AbortSignal | undefined, deadlineMs = 60_000): CallSettings => {
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${token}`);
    return { metadata, ...(signal && { signal }), deadline: Date.now() + deadlineMs };
  };
  return {
    async loadPlan(sessionId: string, version: number, layout: OutputLayout, token: string, signal?: AbortSignal) {
      let header: sessionTimeline.Session | undefined;
      const clips = new Map<string, sessionTimeline.Clip[]>();
      const lanes = new Map<string, sessionService.TrackAutomationChunk[]>();
      const crossfades: sessionTimeline.Crossfade[] = [];
      const stream = serverStreamCall(
        client.streamSession.bind(client),
        sessionService.StreamSessionRequest.fromPartial({ sessionId, version }),
        settings(token, signal, 300_000),
      );
      for await (const part of stream) {
        if (part.header) header = part.header;
        if (part.clips) clips.set(part.clips.trackId, [...(clips.get(part.clips.trackId) ?? []), ...part.clips.clips]);
        if (part.crossfades) crossfades.push(...part.crossfades.crossfades);
        if (part.automation) lanes.set(part.automation.trackId, [...(lanes.get(part.automation.trackId) ?? []), part.automation]);
      }
      if (header === undefined) throw new Error(`StreamSession of ${sessionId} at version ${version} sent no header`);
      if (Number(header.version) !== version) throw new Error(`asked for version ${version} of ${sessionId}, got ${header.version}`);
      const session: sessionTimeline.Session = {
        ...header,
        tracks: header.tracks.map((t) => {
          const automation = lanes.get(t.trackId) ?? [];
          return {
            ...t,
            clips: [...t.clips, ...(clips.get(t.trackId) ?? [])],
            volumeAutomation: [...t.volumeAutomation, ...automation.filter((a) => a.lane === VOLUME).flatMap((a) => a.points)],
            panAutomation: [...t.panAutomation, ...automation.filter((a) => a.lane === PAN).flatMap((a) => a.points)],
          };
        }),
        crossfades: [...header.crossfades, ...crossfades],
      };
      return { plan: sessionToMixPlan(session, layout), sessionName: header.name };
    },
    async findRender(sessionId, renderId, token, signal) {
      // The header alone (its renders): StreamSession keeps a large session within message limits.
      let header: sessionTimeline.Session | undefined;
      const stream = serverStreamCall(
        client.streamSession.bind(client),
        sessionService.StreamSessionRequest.fromPartial({ sessionId }),
        settings(token, signal),
      );
      for await (const part of stream) {
        if (part.header) {
          header = part.header;
          break;
        }
      }
      const job = header?.renders.find((r) => r.renderId === renderId);
      if (!job) return undefined;
      const S = sessionTimeline.RenderStatus;
      return {
        status: job.status === S.RENDER_STATUS_COMPLETED ? "completed" : job.status === S.RENDER_STATUS_FAILED ? "failed" : "running",
        planHash: job.planHash,
        reason: job.reason,
        deliverables: (job.result?.deliverables ?? []).map((d) => ({
          name: d.name,
          mediaKey: d.mediaKey,
          qcReportKey: d.qcReportKey,
          layout: d.layout,
          qcPass: d.qcPass,
        })),
        chunksRendered: job.result?.chunksRendered ?? 0,
        chunksReused: job.result?.chunksReused ?? 0,
      };
    },
    async record(sessionId, command, idempotencyKey, token, signal) {
      const request = sessionService.ExecuteCommandsRequest.fromPartial({
        sessionId,
        commands: toProtoCommands([command as unknown as EditCommand]),
        idempotencyKey,
        returnEvents: false,
      });
      await unaryCall(client.executeCommands.bind(client), request, settings(token, signal));
    },
    close: () => client.close(),
  };
}
