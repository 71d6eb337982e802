import { type CallSettings, createClient, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import { ingestService } from "@dubstage/proto";

/** A promise-based IngestService client over gRPC; failures reject with grpc-kit's typed errors. */
export interface IngestClient {
  readonly address: string;
  createUpload(request: Partial<ingestService.CreateUploadRequest>, settings?: CallSettings): Promise<ingestService.CreateUploadResponse>;
  startIngest(request: Partial<ingestService.StartIngestRequest>, settings?: CallSettings): Promise<ingestService.StartIngestResponse>;
  getIngest(jobId: string, settings?: CallSettings): Promise<ingestService.IngestJob>;
  /** The job now, then each change until it finishes (the stream ends) or `settings.signal` aborts. */
  watchIngest(jobId: string, settings?: CallSettings): AsyncGenerator<ingestService.IngestJob>;
  close(): void;
}

/** Connects lazily (the first call dials) to IngestService at `address` (host:port, plaintext). */
export function connectIngestClient(address: string, options: { token: string; defaultDeadlineMs?: number }): IngestClient {
  const client = createClient(ingestService.IngestServiceClient, address, {
    token: options.token,
    defaultDeadlineMs: options.defaultDeadlineMs ?? 30_000,
  });
  return {
    address,
    createUpload: (request, settings) =>
      unaryCall(client.createUpload.bind(client), ingestService.CreateUploadRequest.fromPartial(request), settings),
    startIngest: (request, settings) =>
      unaryCall(client.startIngest.bind(client), ingestService.StartIngestRequest.fromPartial(request), settings),
    async getIngest(jobId, settings) {
      const response = await unaryCall(client.getIngest.bind(client), { jobId }, settings);
      return response.job ?? ingestService.IngestJob.fromPartial({ jobId });
    },
    async *watchIngest(jobId, settings = {}) {
      const stream = serverStreamCall(client.watchIngest.bind(client), { jobId }, { deadline: Infinity, ...settings });
      for await (const message of stream) if (message.job) yield message.job;
    },
    close: () => client.close(),
  };
}
