import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { imagePinProblem, lintDockerfile } from "./dockerfile.ts";

/** The parts of a compose service these checks read (the schema has already checked the shapes). */
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition: string }>;
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | Record<string, unknown>)[];
  volumes?: (string | Record<string, unknown>)[];
  [extension: `x-${string}`]: unknown;
}

interface Compose {
  services?: Record<string, Service>;
}

export interface InvariantContext {
  /** The folder compose.yaml is in: relative paths in it resolve from here. */
  readonly composeDir: string;
}

/** Marks a service exempt from the health check rule; its value must say why. */
export const NO_HEALTHCHECK_KEY = "x-dubstage-no-healthcheck";

/** Environment variables whose URL host must be a compose service that this service depends on. */
const URL_VARIABLES = ["DATABASE_URL", "NATS_URL", "S3_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"] as const;

/**
 * Rules the compose schema cannot express. Returns one line per problem, prefixed by the service name;
 * empty when everything holds.
 */
export function checkComposeInvariants(compose: Compose, context: InvariantContext): string[] {
  const services = compose.services ?? {};
  const problems: string[] = [];
  const names = new Set(Object.keys(services));
  if (names.size === 0) problems.push("compose file defines no services");
  for (const [name, service] of Object.entries(services)) {
    const say = (message: string) => problems.push(`${name}: ${message}`);
    const exemption = service[NO_HEALTHCHECK_KEY];
    const hasHealthcheck = hasActiveHealthcheck(service);
    if (!hasHealthcheck && (typeof exemption !== "string" || exemption.trim() === "")) {
      say(`has no healthcheck (add one, or ${NO_HEALTHCHECK_KEY}: <why>)`);
    }
    if (hasHealthcheck && exemption !== undefined) say(`has a healthcheck and ${NO_HEALTHCHECK_KEY}; drop one`);

    const dependencies = dependenciesOf(service);
    for (const [target, condition] of dependencies) {
      const dependency = services[target];
      if (!dependency) {
        say(`depends_on "${target}", which is not a service`);
        continue;
      }
      if (condition === "service_healthy" && !hasActiveHealthcheck(dependency))
        say(`waits for "${target}" to be healthy, but it has no healthcheck`);
      if (condition === "service_completed_successfully" && dependency.restart !== "no") {
        say(`waits for "${target}" to complete, but it is not a one-shot (restart: "no")`);
      }
    }

    // Pulled images must be pinned to a version; images built here need only a name that is not `latest`.
    if (service.image === undefined) say("has no image name");
    else {
      const pin = service.build === undefined ? imagePinProblem(service.image) : builtTagProblem(service.image);
      if (pin) say(`image ${service.image} ${pin}`);
    }

    for (const port of service.ports ?? []) {
      const published = typeof port === "object" ? port : { short: String(port) };
      const loopback = "short" in published ? /^(127\.0\.0\.1|\[::1\]):/.test(String(published.short)) : published.host_ip === "127.0.0.1";
      if (!loopback) say(`port ${JSON.stringify(port)} is published on every interface; bind it to 127.0.0.1`);
    }

    const environment = environmentOf(service);
    for (const variable of URL_VARIABLES) {
      const value = environment.get(variable);
      if (value === undefined) continue;
      const host = hostOf(value);
      if (host === undefined) say(`${variable}=${value} is not a URL`);
      else if (!names.has(host)) say(`${variable} points at "${host}", which is not a service`);
      else if (!dependsOnTransitively(services, name, host)) say(`${variable} points at "${host}", but ${name} does not depend on it`);
    }

    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0] : undefined;
      if (source?.startsWith(".") && !existsSync(resolve(context.composeDir, source))) say(`mounts ${source}, which does not exist`);
    }

    if (service.build !== undefined) problems.push(...checkBuild(name, service, services, context));
  }
  const cycle = findCycle(services);
  if (cycle) problems.push(`depends_on cycle: ${cycle.join(" -> ")}`);
  return problems;
}

function checkBuild(name: string, service: Service, services: Record<string, Service>, context: InvariantContext): string[] {
  const build = typeof service.build === "string" ? { context: service.build } : (service.build ?? {});
  const buildContext = resolve(context.composeDir, build.context ?? ".");
  const dockerfile = join(buildContext, build.dockerfile ?? "Dockerfile");
  if (!existsSync(dockerfile)) return [`${name}: build Dockerfile ${dockerfile} does not exist`];
  // Compose healthchecks override the image's; the image still needs its own for plain `docker run`.
  const builtFromSame = Object.values(services).filter((s) => typeof s.build === "object" && s.build.dockerfile === build.dockerfile);
  const everyOneChecked = builtFromSame.every(hasActiveHealthcheck);
  return lintDockerfile(readFileSync(dockerfile, "utf8"), { healthcheckInCompose: everyOneChecked }).map(
    (p) => `${name}: ${build.dockerfile ?? "Dockerfile"}: ${p}`,
  );
}

function builtTagProblem(reference: string): string | undefined {
  const lastSegment = reference.split("/").at(-1) ?? reference;
  if (!lastSegment.includes(":")) return "has no tag (means latest)";
  return lastSegment.endsWith(":latest") ? 'uses the moving tag "latest"' : undefined;
}

function hasActiveHealthcheck(service: Service): boolean {
  const check = service.healthcheck;
  if (!check || check.disable) return false;
  const test = Array.isArray(check.test) ? check.test : check.test === undefined ? [] : [check.test];
  return test.length > 0 && test[0] !== "NONE";
}

function dependenciesOf(service: Service): Map<string, string> {
  const dependsOn = service.depends_on ?? [];
  if (Array.isArray(dependsOn)) return new Map(dependsOn.map((d) => [d, "service_started"]));
  return new Map(Object.entries(dependsOn).map(([d, spec]) => [d, spec.condition]));
}

function environmentOf(service: Service): Map<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return new Map(environment.map((entry) => [entry.split("=")[0] ?? "", entry.slice(entry.indexOf("=") + 1)]));
  }
  return new Map(Object.entries(environment).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)]])));
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value).hostname || undefined;
  } catch {
    return undefined;
  }
}

function dependsOnTransitively(services: Record<string, Service>, from: string, target: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const service = services[from];
  if (!service) return false;
  for (const next of dependenciesOf(service).keys()) {
    if (next === target || dependsOnTransitively(services, next, target, seen)) return true;
  }
  return false;
}

function findCycle(services: Record<string, Service>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name];
    if (state.get(name) === "done" || !services[name]) return undefined;
    state.set(name, "visiting");
    for (const next of dependenciesOf(services[name]).keys()) {
      const cycle = visit(next, [...path, name]);
      if (cycle) return cycle;
    }
    state.set(name, "done");
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}
