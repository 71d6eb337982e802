// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose and Dockerfile variables are written ${...} in plain strings.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkComposeInvariants, NO_HEALTHCHECK_KEY } from "./checks/compose-invariants.ts";
import { createComposeSchemaValidator } from "./checks/compose-schema.ts";
import { lintDockerfile, parseDockerfile } from "./checks/dockerfile.ts";
import { interpolate } from "./checks/interpolate.ts";
import { loadYaml } from "./checks/load-yaml.ts";

// No Docker engine here: compose.yaml and the Dockerfiles are checked statically, against the compose-spec
// JSON schema and our own rules, and each check is shown to reject a broken copy.
const deployDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(deployDir, "..");
const composeText = readFileSync(join(deployDir, "compose.yaml"), "utf8");
const rawCompose = loadYaml(composeText, "compose.yaml");
// As `docker compose` would see it with only the required variable set (every other one has a default).
const composeEnv = { DUBSTAGE_AUTH_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"test"}' };
const compose = interpolate(rawCompose, composeEnv) as { services: Record<string, Record<string, unknown>> };
const validateSchema = createComposeSchemaValidator();
const invariants = (document: unknown) =>
  checkComposeInvariants(document as Parameters<typeof checkComposeInvariants>[0], { composeDir: deployDir });
const copy = () =>
  structuredClone(compose) as { services: Record<string, Record<string, unknown> & { healthcheck?: Record<string, unknown> }> };
const dockerfiles = readdirSync(deployDir).filter((f) => /^Dockerfile(\..+)?$/.test(f));
const mainDockerfile = readFileSync(join(deployDir, "Dockerfile"), "utf8");

describe("compose.yaml against the compose-spec schema", () => {
  it("is valid", () => {
    expect(validateSchema(compose)).toEqual([]);
  });

  it("has the expected services", () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      "ingest",
      "minio",
      "minio-init",
      "nats",
      "otel-collector",
      "postgres",
      "relay",
      "render",
      "render-worker",
      "session",
    ]);
  });

  it.each([
    [
      "an unknown service key",
      (c: ReturnType<typeof copy>) => (c.services.session!.imagee = "x"),
      "/services/session",
      'unknown key "imagee"',
    ],
    [
      "a healthcheck interval that is not a duration",
      (c: ReturnType<typeof copy>) => (c.services.postgres!.healthcheck!.interval = "5 seconds"),
      "/services/postgres/healthcheck/interval",
      'must match format "duration"',
    ],
    [
      "an unknown depends_on condition",
      (c: ReturnType<typeof copy>) =>
        ((c.services.relay!.depends_on as Record<string, { condition: string }>).nats!.condition = "service_ready"),
      "/services/relay/depends_on/nats/condition",
      "must be equal to one of the allowed values",
    ],
    [
      "a malformed port",
      (c: ReturnType<typeof copy>) => (c.services.nats!.ports = ["4222:4222:4222"]),
      "/services/nats/ports/0",
      'must match format "ports"',
    ],
    ["a misspelt top-level key", (c: ReturnType<typeof copy>) => Object.assign(c, { volume: {} }), "/", 'unknown key "volume"'],
  ])("rejects %s", (_what, mutate, path, message) => {
    const broken = copy();
    mutate(broken);
    const problems = validateSchema(broken);
    expect(problems.some((p) => p.path === path && p.message.startsWith(message))).toBe(true);
  });

  it("rejects duplicate keys and needs the auth key variable, as docker compose does", () => {
    expect(() => loadYaml("services:\n  a:\n    image: x:1\n    image: x:2\n", "dup.yaml")).toThrow(/dup\.yaml: Map keys must be unique/);
    expect(() => interpolate(rawCompose, {})).toThrow(/required variable DUBSTAGE_AUTH_PUBLIC_KEY is missing/);
  });
});

describe("compose.yaml invariants", () => {
  it("hold: health checks, dependencies, pinned images, loopback ports, URLs to dependencies", () => {
    expect(invariants(compose)).toEqual([]);
  });

  it("every long-running service has a health check; exemptions say why", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const exempt = service[NO_HEALTHCHECK_KEY];
      if (exempt === undefined) expect(service.healthcheck, name).toMatchObject({ test: expect.any(Array) });
      else expect(String(exempt).length, name).toBeGreaterThan(20);
    }
    // Only the one-shot job and the distroless collector are exempt.
    expect(Object.keys(compose.services).filter((n) => compose.services[n]?.[NO_HEALTHCHECK_KEY] !== undefined)).toEqual([
      "minio-init",
      "otel-collector",
    ]);
  });

  it("gives the services the variables they are configured by", () => {
    const session = compose.services.session!.environment as Record<string, string>;
    for (const variable of [
      "DATABASE_URL",
      "NATS_URL",
      "S3_ENDPOINT",
      "S3_ACCESS_KEY",
      "S3_SECRET_KEY",
      "S3_BUCKET",
      "S3_REGION",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "DUBSTAGE_AUTH_PUBLIC_KEY",
      "GRPC_PORT",
    ]) {
      expect(session[variable], variable).toBeTruthy();
    }
    // Services connect as the runtime role; the owner only migrates (append-only enforced by grants).
    for (const name of ["session", "relay"]) {
      const env = compose.services[name]!.environment as Record<string, string>;
      expect(new URL(env.DATABASE_URL as string).username, name).toBe("dubstage_app");
      expect(new URL(env.DATABASE_MIGRATION_URL as string).username, name).toBe("dubstage");
    }
    // The bucket the one-shot creates is the bucket the session service uses.
    expect((compose.services["minio-init"]!.environment as Record<string, string>).S3_BUCKET).toBe(session.S3_BUCKET);
  });

  it.each([
    [
      "a service without a health check",
      (c: ReturnType<typeof copy>) => delete c.services.session!.healthcheck,
      "session: has no healthcheck",
    ],
    [
      "a dependency on a missing service",
      (c: ReturnType<typeof copy>) =>
        ((c.services.relay!.depends_on as Record<string, unknown>).postgress = { condition: "service_healthy" }),
      'relay: depends_on "postgress", which is not a service',
    ],
    [
      "an image on latest",
      (c: ReturnType<typeof copy>) => (c.services.postgres!.image = "postgres:latest"),
      'postgres: image postgres:latest uses the moving tag "latest"',
    ],
    ["an untagged image", (c: ReturnType<typeof copy>) => (c.services.nats!.image = "nats"), "nats: image nats has no tag (means latest)"],
    [
      "a port open on every interface",
      (c: ReturnType<typeof copy>) => (c.services.postgres!.ports = ["5432:5432"]),
      'postgres: port "5432:5432" is published on every interface',
    ],
    [
      "waiting for a service that has no health check",
      (c: ReturnType<typeof copy>) =>
        ((c.services.session!.depends_on as Record<string, { condition: string }>)["otel-collector"]!.condition = "service_healthy"),
      'session: waits for "otel-collector" to be healthy, but it has no healthcheck',
    ],
    [
      "a URL to a service it does not depend on",
      (c: ReturnType<typeof copy>) => ((c.services.postgres!.environment as Record<string, string>).NATS_URL = "nats://nats:4222"),
      'postgres: NATS_URL points at "nats", but postgres does not depend on it',
    ],
    [
      "a URL to a host that is not a service",
      (c: ReturnType<typeof copy>) => ((c.services.relay!.environment as Record<string, string>).NATS_URL = "nats://natz:4222"),
      'relay: NATS_URL points at "natz", which is not a service',
    ],
    [
      "a dependency cycle",
      (c: ReturnType<typeof copy>) => (c.services.postgres!.depends_on = { relay: { condition: "service_started" } }),
      "depends_on cycle:",
    ],
    [
      "a missing mounted config file",
      (c: ReturnType<typeof copy>) => (c.services.nats!.volumes = ["./nats/missing.conf:/etc/nats/nats-server.conf:ro"]),
      "nats: mounts ./nats/missing.conf",
    ],
  ])("rejects %s", (_what, mutate, expected) => {
    const broken = copy();
    mutate(broken);
    expect(invariants(broken).some((p) => p.startsWith(expected))).toBe(true);
  });

  it("builds each service from a folder under services/ (main.ts may still be planned)", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const build = service.build as { args?: { SERVICE?: string } } | undefined;
      if (!build) continue;
      const target = build.args?.SERVICE;
      // A service is named after its folder, or <folder>-<role> for another role of the same image (render-worker).
      expect(name === target || name.startsWith(`${target}-`), `${name} builds services/${target}`).toBe(true);
      const main = join(repoRoot, "services", target ?? "", "src", "main.ts");
      // The Dockerfile refuses to build a service whose entry point is missing; say so rather than fail.
      if (!existsSync(main))
        console.warn(`[deploy] ${name}: services/${target}/src/main.ts does not exist yet; its image cannot be built until it does`);
    }
  });
});

describe("Dockerfiles", () => {
  it.each(dockerfiles)("%s: pinned FROM, non-root final USER, a health check", (file) => {
    expect(lintDockerfile(readFileSync(join(deployDir, file), "utf8"))).toEqual([]);
  });

  it("the service image runs the TypeScript entry point as uid 1000 with the gRPC health check", () => {
    const { stages, globalArgs } = parseDockerfile(mainDockerfile);
    expect(globalArgs.get("NODE_IMAGE")).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
    expect(stages.map((s) => s.name)).toEqual(["base", "build", "prod", "runtime"]);
    const runtime = stages.at(-1)!.instructions;
    const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1)?.args;
    expect(last("USER")).toBe("1000:1000");
    expect(last("HEALTHCHECK")).toContain('CMD ["node", "deploy/healthcheck.ts"]');
    expect(last("CMD")).toContain("services/${DUBSTAGE_SERVICE}/src/main.ts");
    const build = stages
      .find((s) => s.name === "build")!
      .instructions.map((i) => i.args)
      .join("\n");
    expect(build).toContain("pnpm install --frozen-lockfile");
  });

  it.each([
    [
      "an unpinned base image",
      (t: string) => t.replace("ARG NODE_IMAGE=node:24.21.0-bookworm-slim", "ARG NODE_IMAGE=node:latest"),
      'FROM node:latest: uses the moving tag "latest"',
    ],
    [
      "a base image without a tag",
      (t: string) => t.replace("ARG NODE_IMAGE=node:24.21.0-bookworm-slim", "ARG NODE_IMAGE=node"),
      "FROM node: has no tag (means latest)",
    ],
    ["a root final user", (t: string) => t.replace("USER 1000:1000", "USER root"), "final stage runs as root"],
    ["uid 0", (t: string) => t.replace("USER 1000:1000", "USER 0:0"), "final stage runs as root"],
    ["no final user", (t: string) => t.replace("USER 1000:1000", ""), "final stage has no USER instruction"],
    [
      "a user only in an earlier stage",
      (t: string) => t.replace("USER 1000:1000", "").replace("WORKDIR /app\n\n", "WORKDIR /app\nUSER node\n\n"),
      "final stage has no USER",
    ],
    ["no health check", (t: string) => t.replace(/^HEALTHCHECK .*$/m, ""), "final stage has no HEALTHCHECK"],
  ])("the linter rejects %s", (_what, mutate, expected) => {
    const broken = mutate(mainDockerfile);
    expect(broken).not.toBe(mainDockerfile);
    expect(lintDockerfile(broken).some((p) => p.startsWith(expected))).toBe(true);
  });

  it(".dockerignore keeps host dependencies, generated code and git out of the build context", () => {
    const ignored = readFileSync(join(repoRoot, ".dockerignore"), "utf8").split("\n");
    for (const pattern of ["**/node_modules", "packages/proto/src/gen", ".git"]) expect(ignored).toContain(pattern);
    // Workspace packages must stay in the context, or the frozen install sees a different workspace.
    for (const pattern of ["packages", "services", "deploy", "proto", "bench"]) expect(ignored).not.toContain(pattern);
  });
});

describe("configuration files mounted by compose", () => {
  const natsConf = join(deployDir, "nats", "nats-server.conf");

  it("NATS enables JetStream on file storage with an explicit sync interval", () => {
    const text = readFileSync(natsConf, "utf8");
    const jetstream = /jetstream\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
    expect(jetstream).toMatch(/^\s*store_dir:\s*"\/data\/jetstream"/m);
    expect(jetstream).toMatch(/^\s*sync_interval:\s*always/m);
    expect(text).toMatch(/^http_port:\s*8222/m); // the compose health check reads /healthz there
  });

  const natsServer = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  const haveNats = natsServer.status === 0;
  if (!haveNats) console.warn("[deploy] skipping nats-server -t: nats-server is not on PATH (scripts/install-infra.sh installs it)");
  it.skipIf(!haveNats)("nats-server itself accepts the configuration (nats-server -t)", () => {
    const result = spawnSync("nats-server", ["-c", natsConf, "-t"], { encoding: "utf8" });
    expect(result.stderr).toContain("is valid");
    expect(result.status).toBe(0);
  });

  it("the collector's pipelines use only components it defines, and export to debug", () => {
    const config = loadYaml(readFileSync(join(deployDir, "otel", "collector.yaml"), "utf8"), "collector.yaml") as {
      receivers: Record<string, unknown>;
      processors: Record<string, unknown>;
      exporters: Record<string, unknown>;
      extensions: Record<string, unknown>;
      service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
    };
    expect(Object.keys(config.service.pipelines).sort()).toEqual(["logs", "metrics", "traces"]);
    for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
      for (const kind of ["receivers", "processors", "exporters"] as const) {
        for (const component of pipeline[kind]) expect(Object.keys(config[kind]), `${name}.${kind}`).toContain(component);
      }
      expect(pipeline.exporters).toEqual(["debug"]);
      expect(pipeline.receivers).toEqual(["otlp"]);
    }
    for (const extension of config.service.extensions) expect(Object.keys(config.extensions)).toContain(extension);
    // The services send OTLP over HTTP to the port the receiver listens on.
    const endpoint = (compose.services.session!.environment as Record<string, string>).OTEL_EXPORTER_OTLP_ENDPOINT;
    expect(endpoint).toBe("http://otel-collector:4318");
    expect(JSON.stringify(config.receivers)).toContain("0.0.0.0:4318");
  });
});
