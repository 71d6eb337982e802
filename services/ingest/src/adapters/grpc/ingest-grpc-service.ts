import { type CallContext, defineService, type ServiceRegistration } from "@dubstage/grpc-kit";
import { ingestService } from "@dubstage/proto";
import type { IngestUseCases } from "../../app/ingest-use-cases.ts";
import { fromProtoStartIngest, toProtoJob } from "./ingest-mapping.ts";

/** The caller's bearer token: the job makes its session calls as the user who started it. */
function tokenOf(context: CallContext): string {
  const value = context.metadata.get("authorization")[0];
  return typeof value === "string" ? value.replace(/^Bearer\s+/i, "") : "";
}

/** IngestService over grpc-kit (auth, deadlines, error mapping); this adapter only converts. */
export function ingestGrpcService(useCases: IngestUseCases): ServiceRegistration {
  return defineService(ingestService.IngestServiceService, {
    async createUpload(request) {
      const url = await useCases.createUpload(request.fileName, request.expiresInSeconds || undefined);
      return { key: url.key, url: url.url, method: url.method, expiresAt: url.expiresAt.toISOString() };
    },
    async startIngest(request, call) {
      const job = await useCases.startIngest(fromProtoStartIngest(request), tokenOf(call));
      return { jobId: job.jobId, sessionId: job.sessionId ?? "" };
    },
    async getIngest(request) {
      return { job: toProtoJob(useCases.getIngest(request.jobId)) };
    },
    async *watchIngest(request, call) {
      for await (const job of useCases.watchIngest(request.jobId, call.signal)) yield { job: toProtoJob(job) };
    },
  });
}
