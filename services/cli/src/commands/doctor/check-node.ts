import type { CheckResult } from "./check.ts";

/** The supported Node major, as in the root package.json `engines` (>=24 <25). */
export const SUPPORTED_NODE_MAJOR = 24;

export async function checkNode(version: string = process.version): Promise<CheckResult> {
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  const ok = major === SUPPORTED_NODE_MAJOR;
  return {
    name: "node",
    status: ok ? "ok" : "failed",
    summary: ok ? version : `${version} is not supported: Dubstage needs Node ${SUPPORTED_NODE_MAJOR}`,
    details: { version, required: `${SUPPORTED_NODE_MAJOR}.x` },
  };
}
