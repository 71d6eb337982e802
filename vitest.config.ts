import { defineConfig } from "vitest/config";

// Test tiers are chosen by file name: *.unit.test.ts need no I/O; *.int.test.ts and *.e2e.test.ts talk to
// real PostgreSQL, NATS JetStream and S3, provisioned once per run by the global setup.
const ignored = ["**/node_modules/**", "**/dist/**"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{packages,services,tests,bench,deploy,scripts}/**/*.unit.test.ts"],
          exclude: ignored,
        },
      },
      {
        test: {
          name: "int",
          include: ["{packages,services,tests}/**/*.{int,e2e}.test.ts"],
          exclude: ignored,
          globalSetup: ["packages/testing/src/vitest-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
    ],
  },
});
