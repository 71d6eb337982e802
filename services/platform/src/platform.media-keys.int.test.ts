import { createHash } from "node:crypto";
import { RemoteError } from "@dubstage/grpc-kit";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { connectSessionClient } from "./session-client.ts";
import { startPlatform } from "./start-platform.ts";

const S = 48_000;

function placeOn(mediaKey: string, clipId: string, position: number): sessionService.Command {
  return sessionService.Command.fromPartial({
    placeClip: {
      clip: {
        clipId,
        trackId: "dx-1",
        name: clipId,
        position,
        length: S,
        source: { mediaKey, sourceOffset: 0, sourceLength: 2 * S, channel: 1 },
      },
    },
  });
}

describe("the platform's session service checks media keys against its media store", () => {
  it("accepts a clip on media uploaded to the store and refuses one on a well-formed key it does not hold", async () => {
    const platform = await startPlatform({ env: {}, inMemory: true, print: () => {} });
    const client = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
    try {
      const created = await client.createSession({
        name: "Media check",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
        frameRate: 2, // FRAME_RATE_24
        sampleRate: S,
        startTimecode: "01:00:00:00",
      });
      const sessionId = created.session?.sessionId as string;
      const stored = await platform.mediaStore.put(new Uint8Array(4096), {
        scheme: { kind: "content-addressed" },
        contentType: "audio/wav",
      });
      const ok = await client.executeCommands(
        sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: [placeOn(stored.key, "real", 3600 * S)] }),
      );
      expect(ok.eventCounts).toEqual({ ClipPlaced: 1 });

      const digest = createHash("sha256").update("never uploaded").digest("hex");
      const ghost = `media/sha256/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
      const refused = await client
        .executeCommands(sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: [placeOn(ghost, "ghost", 3610 * S)] }))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RemoteError);
      expect((refused as RemoteError).kind).toBe("not-found"); // NOT_FOUND
      expect((refused as RemoteError).context.field).toBe("commands[0].clip.source.mediaKey");
      expect((await client.getSession(sessionId)).session?.version).toBe(2);
    } finally {
      client.close();
      await platform.close();
    }
  });
});
