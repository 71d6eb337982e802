import { type CallSettings, createClient, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import { renderService } from "@dubstage/proto";

/** A promise-based RenderService client over gRPC; failures reject with grpc-kit's typed errors. */
export interface RenderClient {
  readonly address: string;
  requestRender(
    request: Partial<renderService.RequestRenderRequest>,
    settings?: CallSettings,
  ): Promise<renderService.RequestRenderResponse>;
  getRender(renderId: string, settings?: CallSettings): Promise<renderService.Render>;
  /** The render now, then each change until it ends (the stream ends) or `settings.signal` aborts. */
  watchRender(renderId: string, settings?: CallSettings): AsyncGenerator<renderService.Render>;
  cancelRender(renderId: string, settings?: CallSettings): Promise<boolean>;
  requeueFailedChunks(renderId: string, settings?: CallSettings): Promise<number>;
  close(): void;
}

/** Connects lazily (the first call dials) to RenderService at `address` (host:port, plaintext). */
export function connectRenderClient(address: string, options: { token: string; defaultDeadlineMs?: number }): RenderClient {
  const client = createClient(renderService.RenderServiceClient, address, {
    token: options.token,
    defaultDeadlineMs: options.defaultDeadlineMs ?? 30_000,
  });
  return {
    address,
    requestRender: (request, settings) =>
      unaryCall(client.requestRender.bind(client), renderService.RequestRenderRequest.fromPartial(request), settings),
    async getRender(renderId, settings) {
      const response = await unaryCall(client.getRender.bind(client), { renderId }, settings);
      return response.render ?? renderService.Render.fromPartial({ renderId });
    },
    async *watchRender(renderId, settings = {}) {
      const stream = serverStreamCall(client.watchRender.bind(client), { renderId }, { deadline: Infinity, ...settings });
      for await (const message of stream) if (message.render) yield message.render;
    },
    async cancelRender(renderId, settings) {
      return (await unaryCall(client.cancelRender.bind(client), { renderId }, settings)).cancelled;
    },
    async requeueFailedChunks(renderId, settings) {
      return (await unaryCall(client.requeueFailedChunks.bind(client), { renderId }, settings)).requeued;
    },
    close: () => client.close(),
  };
}
