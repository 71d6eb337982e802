import { describe, expect, it } from "vitest";
import { checkFile, importsOf } from "./check-imports.ts";

const services = new Set(["@dubstage/session", "@dubstage/relay"]);
const domainFile = "services/session/src/domain/decide.ts";
const rulesBroken = (file: string, contents: string) => checkFile(file, contents, services).map((v) => v.specifier);

describe("importsOf", () => {
  it("finds static, type-only, re-exported, dynamic and side-effect imports, and ignores comments and strings", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "pg";',
      'export { c } from "@dubstage/proto";',
      'export * from "./d.ts";',
      'import "node:fs";',
      'const e = await import("node:net");',
      '// import { f } from "kysely";',
      '/* import "node:http"; */',
      'const text = "from \\"@grpc/grpc-js\\"";',
    ].join("\n");
    expect(importsOf(source)).toEqual(["./a.ts", "pg", "@dubstage/proto", "./d.ts", "node:fs", "node:net"]);
  });
});

describe("services/*/src/domain", () => {
  it("may import the domain, shared pure packages, node:crypto and vitest", () => {
    const source = 'import { x } from "./model.ts";\nimport { tc } from "@dubstage/timecode";\nimport { createHash } from "node:crypto";';
    expect(rulesBroken(domainFile, source)).toEqual([]);
    expect(rulesBroken("services/session/src/domain/sub/deep.ts", 'import { x } from "../model.ts";')).toEqual([]);
  });

  it("imports no adapters or app code (relative paths leaving the domain folder)", () => {
    expect(rulesBroken(domainFile, 'import { repo } from "../adapters/postgres/repo.ts";')).toEqual(["../adapters/postgres/repo.ts"]);
    expect(rulesBroken(domainFile, 'import type { Port } from "../app/ports.ts";')).toEqual(["../app/ports.ts"]);
  });

  it("imports no @dubstage/proto outside its tests", () => {
    expect(rulesBroken(domainFile, 'import { sessionEvents } from "@dubstage/proto";')).toEqual(["@dubstage/proto"]);
    expect(rulesBroken(domainFile, 'import type { X } from "@dubstage/proto/gen/x.ts";')).toEqual(["@dubstage/proto/gen/x.ts"]);
    expect(rulesBroken("services/session/src/domain/wire.unit.test.ts", 'import { sessionEvents } from "@dubstage/proto";')).toEqual([]);
  });

  it("does no I/O and uses no driver or adapter package", () => {
    const forbidden = [
      "node:fs",
      "fs/promises",
      "node:net",
      "http",
      "node:child_process",
      "pg",
      "kysely",
      "@grpc/grpc-js",
      "@nats-io/transport-node",
      "@aws-sdk/client-s3",
      "@dubstage/event-log-postgres",
      "@dubstage/grpc-kit",
    ];
    const source = forbidden.map((specifier) => `import * as m${forbidden.indexOf(specifier)} from "${specifier}";`).join("\n");
    expect(rulesBroken(domainFile, source)).toEqual(forbidden);
    expect(checkFile(domainFile, 'import pg from "pg";', services)[0]?.rule).toMatch(/driver/);
  });
});

describe("packages/*", () => {
  it("never import a service by name or by path", () => {
    const file = "packages/bus-nats/src/relay.ts";
    expect(rulesBroken(file, 'import { x } from "@dubstage/session";')).toEqual(["@dubstage/session"]);
    expect(rulesBroken(file, 'import { x } from "@dubstage/relay/src/config.ts";')).toEqual(["@dubstage/relay/src/config.ts"]);
    expect(rulesBroken(file, 'import { x } from "../../../services/session/src/domain/model.ts";')).toEqual([
      "../../../services/session/src/domain/model.ts",
    ]);
  });

  it("may import other packages, drivers and I/O", () => {
    const source =
      'import { x } from "@dubstage/event-log";\nimport pg from "pg";\nimport { readFile } from "node:fs/promises";\nimport { y } from "../z.ts";';
    expect(rulesBroken("packages/event-log-postgres/src/a.ts", source)).toEqual([]);
  });
});

describe("other files", () => {
  it("are not checked (adapters and app code may import what they need)", () => {
    expect(rulesBroken("services/session/src/adapters/grpc/x.ts", 'import pg from "pg";\nimport { p } from "@dubstage/proto";')).toEqual(
      [],
    );
  });
});
