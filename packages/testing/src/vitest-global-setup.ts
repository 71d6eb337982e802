import type { TestProject } from "vitest/node";
import { provisionInfra } from "./infra/provision.ts";

/**
 * Vitest global setup for integration and e2e tests: provisions PostgreSQL, NATS JetStream and S3 once
 * per run and hands their URLs to the test workers through the environment.
 */
export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const infra = await provisionInfra();
  Object.assign(process.env, infra.env);
  process.stderr.write(`[dubstage] test infrastructure: ${JSON.stringify(infra.sources)}\n`);
  return async () => {
    await infra.stop();
  };
}
