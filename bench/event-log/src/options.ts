import { parseArgs } from "node:util";
import { type AppendWorkload, appendWorkloads } from "./append-workload.ts";
import { type RelayNatsSetup, relayNatsSetups } from "./relay.ts";

export interface BenchOptions {
  readonly json: boolean;
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
  readonly streams: number;
  readonly poolSize: number;
  readonly readBatch: number;
  readonly readCapSeconds: number;
  readonly relayEvents: number;
  /** The NATS setups the relay runs against, one after the other. */
  readonly relayNats: readonly RelayNatsSetup[];
  /** Events per atomic batch publish (1: plain publishes); undefined: the relay's default per setup. */
  readonly relayBatch: number | undefined;
  readonly workloads: readonly AppendWorkload[];
  readonly stores: readonly StoreName[];
  /** Run only this part (and what it needs); undefined runs everything. */
  readonly only: BenchPart | undefined;
}

export const benchParts = ["relay"] as const;
export type BenchPart = (typeof benchParts)[number];

export const storeNames = ["ours", "emmett"] as const;
export type StoreName = (typeof storeNames)[number];

export const usage = `Usage: node bench/event-log/src/main.ts [options]

  --json              print the results as JSON instead of markdown
  --seconds N         measured seconds per workload and store (default 8)
  --warmup N          warm-up seconds before each measurement (default 2)
  --streams N         streams the writers spread over (default 1000)
  --pool N            connections in each store's pool (default 32, the most writers)
  --read-batch N      events per catch-up read (default 1000)
  --read-cap N        seconds after which a catch-up pass stops early (default 20)
  --relay-events N    events per relay phase, backlog and live (default 30000; 0 skips the relay)
  --relay-nats LIST   comma-separated NATS setups for the relay: ${relayNatsSetups.join(",")} (default all)
  --relay-batch N     events per atomic batch publish (default: the relay's, 100 on R3 and 1 on one server; 1: plain publishes)
  --workloads LIST    comma-separated subset of ${appendWorkloads.map((w) => w.label).join(",")}
  --stores LIST       comma-separated subset of ${storeNames.join(",")} (default both)
  --only PART         run only one part: ${benchParts.join(", ")} (skips the append workloads and the catch-up read)
  --help              show this text

PostgreSQL comes from DATABASE_URL when set, else a local server is started; NATS likewise from NATS_URL.`;

function positive(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number, got "${raw}"`);
  }
  return value;
}

function integer(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  const value = positive(name, raw, fallback, allowZero);
  if (!Number.isInteger(value)) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

/** Parses argv; returns undefined when --help was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      json: { type: "boolean", default: false },
      seconds: { type: "string" },
      warmup: { type: "string" },
      streams: { type: "string" },
      pool: { type: "string" },
      "read-batch": { type: "string" },
      "read-cap": { type: "string" },
      "relay-events": { type: "string" },
      "relay-nats": { type: "string" },
      "relay-batch": { type: "string" },
      workloads: { type: "string" },
      stores: { type: "string" },
      only: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const labels = values.workloads?.split(",").map((label) => label.trim());
  const workloads = labels === undefined ? appendWorkloads : labels.map((label) => findWorkload(label));
  return {
    json: values.json,
    warmupSeconds: positive("warmup", values.warmup, 2, true),
    measureSeconds: positive("seconds", values.seconds, 8),
    streams: integer("streams", values.streams, 1000),
    poolSize: integer("pool", values.pool, 32),
    readBatch: integer("read-batch", values["read-batch"], 1000),
    readCapSeconds: positive("read-cap", values["read-cap"], 20),
    relayEvents: integer("relay-events", values["relay-events"], 30_000, true),
    relayNats: values["relay-nats"] === undefined ? relayNatsSetups : values["relay-nats"].split(",").map((name) => findSetup(name.trim())),
    relayBatch: values["relay-batch"] === undefined ? undefined : integer("relay-batch", values["relay-batch"], 1),
    workloads,
    stores: values.stores === undefined ? storeNames : values.stores.split(",").map((name) => findStore(name.trim())),
    only: values.only === undefined ? undefined : findPart(values.only),
  };
}

function findWorkload(label: string): AppendWorkload {
  const workload = appendWorkloads.find((w) => w.label === label);
  if (workload === undefined) {
    throw new Error(`--workloads: unknown workload "${label}"; choose from ${appendWorkloads.map((w) => w.label).join(", ")}`);
  }
  return workload;
}

function findStore(name: string): StoreName {
  const store = storeNames.find((s) => s === name);
  if (store === undefined) throw new Error(`--stores: unknown store "${name}"; choose from ${storeNames.join(", ")}`);
  return store;
}

function findSetup(name: string): RelayNatsSetup {
  const setup = relayNatsSetups.find((s) => s === name);
  if (setup === undefined) throw new Error(`--relay-nats: unknown setup "${name}"; choose from ${relayNatsSetups.join(", ")}`);
  return setup;
}

function findPart(name: string): BenchPart {
  const part = benchParts.find((p) => p === name);
  if (part === undefined) throw new Error(`--only: unknown part "${name}"; choose from ${benchParts.join(", ")}`);
  return part;
}
