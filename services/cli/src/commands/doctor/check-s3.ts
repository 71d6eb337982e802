import { redactUrl } from "@dubstage/config";
import { type CheckContext, type CheckResult, errorMessage, withTimeout } from "./check.ts";

/**
 * With credentials, a signed request: HeadBucket on S3_BUCKET (must exist), else ListBuckets, which
 * proves the endpoint, the keys and the region. Without credentials, only that the endpoint answers HTTP.
 */
export async function checkS3(context: CheckContext): Promise<CheckResult> {
  const { S3_ENDPOINT: endpoint, S3_ACCESS_KEY: accessKey, S3_SECRET_KEY: secretKey, S3_BUCKET: bucket, S3_REGION: region } = context.env;
  if (!endpoint) return { name: "s3", status: "skipped", summary: "S3_ENDPOINT is not set", details: { endpoint: null } };
  const target = redactUrl(endpoint);
  const base = { endpoint: target, bucket: bucket ?? null, signed: Boolean(accessKey && secretKey) };
  let url: URL;
  try {
    url = new URL(endpoint);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`scheme ${url.protocol} is not http or https`);
  } catch (error) {
    return { name: "s3", status: "failed", summary: `S3_ENDPOINT is not an http(s) URL: ${errorMessage(error)}`, details: base };
  }
  try {
    if (!accessKey || !secretKey) {
      const response = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(context.timeoutMs) });
      return {
        name: "s3",
        status: "ok",
        summary: `${target} answers HTTP ${response.status} (S3_ACCESS_KEY/S3_SECRET_KEY not set: credentials and bucket not checked)`,
        details: { ...base, httpStatus: response.status },
      };
    }
    const { Client } = await import("minio"); // loaded on demand: keeps every other command's start-up fast
    const client = new Client({
      endPoint: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80,
      useSSL: url.protocol === "https:",
      accessKey,
      secretKey,
      ...(region ? { region } : {}),
      pathStyle: true,
    });
    if (bucket) {
      const exists = await withTimeout(client.bucketExists(bucket), context.timeoutMs, `S3 at ${target}`);
      if (!exists) return { name: "s3", status: "failed", summary: `bucket "${bucket}" does not exist at ${target}`, details: base };
      return { name: "s3", status: "ok", summary: `bucket "${bucket}" reachable at ${target}`, details: base };
    }
    const buckets = await withTimeout(client.listBuckets(), context.timeoutMs, `S3 at ${target}`);
    return {
      name: "s3",
      status: "ok",
      summary: `${target} accepts the credentials (${buckets.length} buckets; S3_BUCKET not set)`,
      details: { ...base, bucketCount: buckets.length },
    };
  } catch (error) {
    return { name: "s3", status: "failed", summary: `${target}: ${errorMessage(error)}`, details: base };
  }
}
