import { MediaValidationError } from "@dubstage/media-store";

const MiB = 1024 * 1024;
/** S3's smallest part (all but the last), largest single CopyObject, and part-count limit. */
export const S3_MIN_PART_BYTES = 5 * MiB;
export const S3_MAX_SINGLE_COPY_BYTES = 5 * 1024 * MiB;
export const S3_MAX_PARTS = 10_000;

export interface S3MediaStoreConfig {
  /** e.g. "http://127.0.0.1:9000" or "https://s3.eu-west-1.amazonaws.com". */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  /** Create the bucket (in `region`) when it does not exist. @default false */
  readonly createBucket?: boolean;
  /**
   * Size of each uploaded part, and so the memory one upload holds. Grows by one step every 2,000 parts,
   * so the 10,000-part limit allows 15,000 x partSize (240 GB at the default). @default 8 MiB @minimum 5 MiB
   */
  readonly partSizeBytes?: number;
  /** Staging objects up to this size are published with one CopyObject, larger ones part by part. @default 5 GiB (the S3 limit) */
  readonly maxSingleCopyBytes?: number;
}

export interface ResolvedS3Config {
  readonly endPoint: string;
  readonly port: number;
  readonly useSSL: boolean;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly createBucket: boolean;
  readonly partSizeBytes: number;
  readonly maxSingleCopyBytes: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Validates the config, naming every field that is wrong in one error. */
export function resolveS3Config(config: S3MediaStoreConfig): ResolvedS3Config {
  const problems: string[] = [];
  let url: URL | undefined;
  if (typeof config?.endpoint !== "string" || !URL.canParse(config.endpoint))
    problems.push(`endpoint ${JSON.stringify(config?.endpoint)} is not a URL`);
  else {
    url = new URL(config.endpoint);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      problems.push(`endpoint protocol must be http or https, got ${url.protocol}`);
    if (url.pathname !== "/" || url.search) problems.push(`endpoint must be scheme://host[:port] only, got ${config.endpoint}`);
  }
  for (const field of ["region", "accessKey", "secretKey"] as const) {
    if (typeof config?.[field] !== "string" || config[field].length === 0) problems.push(`${field} is required`);
  }
  if (typeof config?.bucket !== "string" || !BUCKET.test(config.bucket) || config.bucket.includes("..")) {
    problems.push(`bucket ${JSON.stringify(config?.bucket)} is not a valid S3 bucket name (3-63 of a-z 0-9 . -)`);
  }
  const partSizeBytes = config?.partSizeBytes ?? 8 * MiB;
  if (!Number.isSafeInteger(partSizeBytes) || partSizeBytes < S3_MIN_PART_BYTES || partSizeBytes > 512 * MiB) {
    problems.push(`partSizeBytes must be an integer from ${S3_MIN_PART_BYTES} (5 MiB) to 512 MiB, got ${partSizeBytes}`);
  }
  const maxSingleCopyBytes = config?.maxSingleCopyBytes ?? S3_MAX_SINGLE_COPY_BYTES;
  if (
    !Number.isSafeInteger(maxSingleCopyBytes) ||
    maxSingleCopyBytes < S3_MIN_PART_BYTES ||
    maxSingleCopyBytes > S3_MAX_SINGLE_COPY_BYTES
  ) {
    problems.push(`maxSingleCopyBytes must be an integer from 5 MiB to 5 GiB, got ${maxSingleCopyBytes}`);
  }
  if (problems.length > 0 || !url) throw new MediaValidationError("config", `invalid S3 media store config: ${problems.join("; ")}`);
  const useSSL = url.protocol === "https:";
  return {
    endPoint: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    region: config.region,
    accessKey: config.accessKey,
    secretKey: config.secretKey,
    bucket: config.bucket,
    createBucket: config.createBucket ?? false,
    partSizeBytes,
    maxSingleCopyBytes,
  };
}
