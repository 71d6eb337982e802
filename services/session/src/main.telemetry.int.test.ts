import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { exportKeyPairPem, generateKeyPair, mintToken } from "@dubstage/auth";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { createClient } from "@dubstage/grpc-kit";
import { sessionService } from "@dubstage/proto";
import { freePort, requireEnv, waitFor } from "@dubstage/testing";
import { Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callsOf, filmRequest, TEST_AUDIENCE, TEST_ISSUER, testDatabase } from "./adapters/grpc/test-support/session-test-bed.ts";

// `node src/main.ts` as the container runs it, exporting to a loopback stand-in for an OTLP/HTTP collector:
// proves the process's telemetry is wired (server span continuing the caller's trace, pg instrumented because
// pg loads after the SDK, trace ids in the stored event and in the JSON logs, spans flushed on SIGTERM).
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const SERVER_SPAN = "dubstage.session.v1.SessionService/CreateSession";
const SPAN_KIND_SERVER = 2;

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly { key: string; value: Record<string, unknown> }[];
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

interface ExportedSpan extends OtlpSpan {
  readonly scope: string;
  readonly serviceName: unknown;
}

/** A minimal OTLP/HTTP receiver: records the JSON body of every POST /v1/traces. */
async function startCollector(): Promise<{ server: Server; endpoint: string; spans: ExportedSpan[]; problems: string[] }> {
  const spans: ExportedSpan[] = [];
  const problems: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const type = String(req.headers["content-type"]);
    if (req.method !== "POST" || req.url !== "/v1/traces" || !type.includes("application/json")) {
      problems.push(`${req.method} ${req.url} ${type}`);
      res.writeHead(400).end();
      return;
    }
    const payload = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport;
    for (const resourceSpans of payload.resourceSpans) {
      const serviceName = resourceSpans.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue;
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) spans.push({ ...span, scope: scopeSpans.scope.name, serviceName });
      }
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, spans, problems };
}

const database = testDatabase();
let collector: Awaited<ReturnType<typeof startCollector>>;
let child: ChildProcess | undefined;

beforeAll(async () => {
  collector = await startCollector();
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  collector?.server.close();
  await database.close();
});

describe("session process telemetry", () => {
  it("traces a gRPC call and its pg queries in the caller's trace, logs its trace id, and flushes on SIGTERM", async () => {
    const keys = await generateKeyPair();
    const { publicKeyPem } = await exportKeyPairPem(keys);
    const token = await mintToken(keys.signingKey, {
      userId: "sue",
      role: "supervising_sound_editor",
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
    const eventLogSchema = database.newSchema("evlog");
    const port = await freePort();
    child = spawn(process.execPath, [MAIN], {
      // Only what the process needs: no OTEL_* variables leak in from the test runner's environment.
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: requireEnv("DATABASE_URL"),
        GRPC_HOST: "127.0.0.1",
        GRPC_PORT: String(port),
        DUBSTAGE_AUTH_PUBLIC_KEY: publicKeyPem,
        DUBSTAGE_AUTH_ISSUER: TEST_ISSUER,
        DUBSTAGE_AUTH_AUDIENCE: TEST_AUDIENCE,
        EVENT_LOG_SCHEMA: eventLogSchema,
        SESSION_READ_MODEL_SCHEMA: database.newSchema("sess"),
        LOG_LEVEL: "debug", // grpc-kit logs "grpc call finished" at debug, inside the call's span
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        OTEL_SERVICE_NAME: "session-telemetry-test",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const process_ = child;
    const logs = collectJsonLines(process_);
    let stderr = "";
    process_.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    await waitFor(
      "session process ready",
      async () => {
        if (process_.exitCode !== null)
          throw new Error(`main.ts exited with ${process_.exitCode}: ${stderr} ${JSON.stringify(logs.at(-1))}`);
        return logs.some((line) => line.msg === "session service ready");
      },
      30_000,
    );

    // The caller's trace: a sampled remote parent we chose.
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    const metadata = new Metadata();
    metadata.set("traceparent", `00-${traceId}-${callerSpanId}-01`);
    const calls = callsOf(createClient(sessionService.SessionServiceClient, `127.0.0.1:${port}`, { token }));
    try {
      const created = await calls.createSession(filmRequest({ sessionId: "traced" }), { metadata });
      expect(created.session?.sessionId).toBe("traced");
    } finally {
      calls.client.close();
    }

    const exited = once(process_, "exit");
    process_.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    expect(code, stderr).toBe(0);
    // Everything below was exported by the time the process exited: shutdown flushes the batch.
    expect(collector.problems).toEqual([]);

    const inTrace = collector.spans.filter((span) => span.traceId === traceId);
    const server = inTrace.find((span) => span.name === SERVER_SPAN);
    expect(server, JSON.stringify(collector.spans.map((s) => [s.scope, s.name, s.traceId]))).toBeDefined();
    expect(server?.kind).toBe(SPAN_KIND_SERVER);
    expect(server?.parentSpanId).toBe(callerSpanId);
    expect(server?.serviceName).toBe("session-telemetry-test");

    // pg queries of the call, the append among them, are children of the server span: pg loaded instrumented.
    const queries = inTrace.filter((span) => span.scope === "@opentelemetry/instrumentation-pg" && queryText(span) !== undefined);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.parentSpanId).toBe(server?.spanId);
    expect(queries.some((span) => queryText(span)?.includes(`${eventLogSchema}.`))).toBe(true);
    // pg-pool is patched only when it loads after startTelemetry (pg's query patch alone also works preloaded).
    const connects = inTrace.filter((span) => span.name === "pg-pool.connect");
    expect(connects.length).toBeGreaterThan(0);
    for (const connect of connects) expect(connect.parentSpanId).toBe(server?.spanId);

    // The stored event records the server span as its trace parent.
    const [created] = await readStream(eventLogSchema, "session-traced");
    expect(created?.type).toBe("SessionCreated");
    expect(created?.trace?.traceparent).toBe(`00-${traceId}-${server?.spanId}-01`);

    // The call's JSON log lines carry its trace and span ids.
    const finished = logs.find((line) => line.msg === "grpc call finished" && line.method === `/${SERVER_SPAN}`);
    expect(finished).toMatchObject({ service: "session", trace_id: traceId, span_id: server?.spanId });
  }, 60_000);
});

/** The SQL of a pg query span (`db.query.text`, or `db.statement` under the older conventions). */
function queryText(span: OtlpSpan): string | undefined {
  const value = span.attributes?.find((a) => a.key === "db.query.text" || a.key === "db.statement")?.value.stringValue;
  return typeof value === "string" ? value : undefined;
}

function collectJsonLines(process_: ChildProcess): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let partial = "";
  process_.stdout?.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop() ?? "";
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  return lines;
}

/** Reads a stream from the child's event-log schema directly. */
async function readStream(schema: string, streamId: string) {
  const log = await createPostgresEventLog({ pool: database.pool, schema, migrate: false });
  try {
    return await log.readStream(streamId);
  } finally {
    await log.close();
  }
}
