import type { AppendResult } from "./append-workload.ts";
import { type CatchUpResult, readExactly } from "./catch-up.ts";
import type { MachineInfo } from "./machine.ts";
import type { BenchOptions } from "./options.ts";
import { type RelayResult, relaySetupLabels } from "./relay.ts";

export interface BenchReport {
  readonly command: string;
  readonly machine: MachineInfo;
  readonly options: Omit<BenchOptions, "workloads" | "json"> & { workloads: string[] };
  readonly appends: AppendResult[];
  readonly catchUp: CatchUpResult[];
  /** Why a store has no catch-up figure (e.g. its API offers no read of all events). */
  readonly catchUpNotes: string[];
  /** One run per NATS setup (`--relay-nats`). */
  readonly relay: readonly RelayResult[] | { skipped: string };
  readonly targets: TargetCheck[];
}

export interface TargetCheck {
  readonly target: string;
  readonly figure: string;
  /** undefined when the figure could not be measured in this run. */
  readonly met: boolean | undefined;
}

function find(appends: readonly AppendResult[], store: string, workload: string): AppendResult | undefined {
  return appends.find((r) => r.store === store && r.workload === workload);
}

/** Events/s of ours divided by Emmett's for one workload, when both ran. */
export function ratio(appends: readonly AppendResult[], workload: string): number | undefined {
  const ours = find(appends, "ours", workload);
  const emmett = find(appends, "emmett", workload);
  return ours && emmett && emmett.eventsPerSecond > 0 ? ours.eventsPerSecond / emmett.eventsPerSecond : undefined;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The targets for this 2-core machine, checked against this run's figures. */
export function checkTargets(
  appends: readonly AppendResult[],
  catchUp: readonly CatchUpResult[],
  relay: BenchReport["relay"],
): TargetCheck[] {
  const r8x10 = ratio(appends, "8x10");
  const ours1x1 = find(appends, "ours", "1x1");
  const oursCatchUp = catchUp.find((c) => c.store === "ours");
  const relayRuns = "skipped" in relay ? [] : relay;
  // The best durable setup: the faster drain among those that also keep the live p99 lag under 100 ms.
  const durable = relayRuns.filter((r) => r.setup !== "default");
  const best = [...durable].sort((a, b) => score(b) - score(a))[0];
  return [
    {
      target: "8x10 events/s >= 4x Emmett's (same run)",
      figure: r8x10 === undefined ? "not measured" : `${fmt(r8x10, 2)}x`,
      met: r8x10 === undefined ? undefined : r8x10 >= 4,
    },
    {
      target: "1x1 append p50 <= 2 ms",
      figure: ours1x1 === undefined ? "not measured" : `${fmt(ours1x1.p50Ms, 2)} ms`,
      met: ours1x1 === undefined ? undefined : ours1x1.p50Ms <= 2,
    },
    {
      target: "catch-up read of $all >= 200,000 events/s",
      figure:
        oursCatchUp === undefined
          ? "not measured"
          : `${fmt(oursCatchUp.eventsPerSecond)} events/s${readExactly(oursCatchUp) && oursCatchUp.complete ? "" : " (but NOT every event exactly once)"}`,
      met:
        oursCatchUp === undefined ? undefined : oursCatchUp.eventsPerSecond >= 200_000 && readExactly(oursCatchUp) && oursCatchUp.complete,
    },
    {
      target: "relay at production durability: drain >= 15,000 events/s and live p99 lag < 100 ms",
      figure:
        best === undefined
          ? "not measured (no durable setup in --relay-nats)"
          : `${best.setup}: ${fmt(best.backlog.eventsPerSecond)} events/s, p99 ${fmt(best.live.p99LagMs, 1)} ms`,
      met: best === undefined ? undefined : best.backlog.eventsPerSecond >= 15_000 && best.live.p99LagMs < 100,
    },
  ];
}

function score(run: RelayResult): number {
  return (run.live.p99LagMs < 100 ? 1e9 : 0) + run.backlog.eventsPerSecond;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function renderMarkdown(report: BenchReport): string {
  const { machine, options } = report;
  const out: string[] = [];
  out.push(`## Event-log benchmark, ${machine.date}`);
  out.push("");
  out.push(`- Command: \`${report.command}\``);
  out.push(`- Machine: ${machine.cpuCount} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB memory`);
  out.push(`- Load average (1 min): ${fmt(machine.loadAtStart, 2)} at start, ${fmt(machine.loadAtEnd, 2)} at end`);
  out.push(`- PostgreSQL ${machine.postgresVersion} (${machine.postgresDurability}), Node ${machine.nodeVersion}`);
  out.push(
    `- ${options.streams} streams, ${options.poolSize} pooled connections per store, ${options.warmupSeconds} s warm-up then ` +
      `${options.measureSeconds} s measured per workload and store; no version check on either side ` +
      `(ours \`expectedVersion: "any"\`, Emmett \`NO_CONCURRENCY_CHECK\`)`,
  );
  out.push("");
  out.push("### Appends");
  out.push("");
  const appendRows = report.appends.map((r) => {
    const ratioText = r.store === "ours" ? (ratio(report.appends, r.workload) ?? Number.NaN) : Number.NaN;
    return [
      r.workload,
      r.store,
      fmt(r.appendsPerSecond),
      fmt(r.eventsPerSecond),
      fmt(r.p50Ms, 2),
      fmt(r.p99Ms, 2),
      fmt(r.failed),
      fmt(r.clientCpuUsPerEvent, 1),
      r.serverCpuUsPerEvent === undefined ? "n/a" : fmt(r.serverCpuUsPerEvent, 1),
      Number.isNaN(ratioText) ? "" : `${fmt(ratioText, 2)}x`,
    ];
  });
  out.push(
    table(
      [
        "Workload",
        "Store",
        "Appends/s",
        "Events/s",
        "p50 ms",
        "p99 ms",
        "Failed",
        "Client CPU us/event",
        "Server CPU us/event",
        "Ours/Emmett events/s",
      ],
      appendRows,
    ),
  );
  out.push("");
  out.push(
    "CPU per event is user + system time in the measured window: the store's client process (event generation included, " +
      "the same for both), and the PostgreSQL backends connected to the store's database (read from /proc; n/a when the " +
      "server is elsewhere). It varies far less with other load on the machine than events/s does.",
  );
  const failures = report.appends.filter((r) => r.firstError !== undefined);
  for (const r of failures) out.push(`\n${r.store} ${r.workload}: ${r.failed} appends failed, first: ${r.firstError}`);
  out.push("");
  out.push("### Catch-up read of $all (whole log, from the start)");
  out.push("");
  out.push(
    table(
      [
        "Store",
        "Events in log",
        "Rows read (timed)",
        "Seconds",
        "Events/s",
        "Batch",
        "Every event once",
        "Client CPU us/event",
        "Server CPU us/event",
      ],
      report.catchUp.map((c) => [
        c.store,
        fmt(c.eventsInLog),
        `${fmt(c.eventsRead)}${c.complete ? "" : " (time cap hit)"}`,
        fmt(c.seconds, 2),
        fmt(c.eventsPerSecond),
        fmt(c.batchSize),
        c.distinctRead === undefined ? "unchecked (time cap hit)" : readExactly(c) ? "yes" : "NO",
        fmt(c.clientCpuUsPerEvent, 2),
        c.serverCpuUsPerEvent === undefined ? "n/a" : fmt(c.serverCpuUsPerEvent, 2),
      ]),
    ),
  );
  for (const c of report.catchUp) {
    if (c.distinctRead === undefined || c.checkRowsRead === undefined || readExactly(c)) continue;
    out.push(
      `\n${c.store}: a full read returned ${fmt(c.checkRowsRead)} rows (${fmt(c.distinctRead)} distinct) for ${fmt(c.eventsInLog)} ` +
        `events: ${fmt(c.eventsInLog - c.distinctRead)} skipped, ${fmt(c.checkRowsRead - c.distinctRead)} repeated.`,
    );
  }
  for (const note of report.catchUpNotes) out.push(`\n${note}`);
  out.push("");
  out.push("### Relay: commit -> JetStream ack");
  out.push("");
  if ("skipped" in report.relay) out.push(`Not measured: ${report.relay.skipped}`);
  else {
    out.push(
      table(
        [
          "NATS",
          "Publish",
          "Drain events/s",
          "Drain s",
          "Relay CPU us/event",
          "nats-server CPU us/event",
          "Live events/s",
          "p50 lag ms",
          "p99 lag ms",
          "max lag ms",
        ],
        report.relay.map((run) => [
          relaySetupLabels[run.setup],
          run.atomicBatch > 1 ? `atomic batches of ${run.atomicBatch}` : "plain, pipelined",
          fmt(run.backlog.eventsPerSecond),
          fmt(run.backlog.seconds, 2),
          fmt(run.backlog.cpuMicrosPerEvent, 1),
          run.backlog.natsCpuMicrosPerEvent === undefined ? "n/a" : fmt(run.backlog.natsCpuMicrosPerEvent, 1),
          fmt(run.live.eventsPerSecond),
          fmt(run.live.p50LagMs, 1),
          fmt(run.live.p99LagMs, 1),
          fmt(run.live.maxLagMs, 1),
        ]),
      ),
    );
    const first = report.relay[0];
    out.push(
      `\nDrain: ${first ? fmt(first.backlog.events) : "N"} events committed before the relay starts, timed from its start to JetStream's ack of ` +
        `the last. Live: the same number appended by ${first?.live.writers ?? 8} writers x ${first?.live.eventsPerAppend ?? 10} events while ` +
        "the relay runs; lag is the JetStream ack time minus the moment the append returned to its writer, and live events/s is " +
        "bounded by how fast the writers commit. CPU per event (user + system) is taken during the drain: the relay process " +
        "(reading and decoding $all included) and every nats-server of the setup (n/a for a server elsewhere); load on the " +
        "machine skews it less than events/s.",
    );
  }
  out.push("");
  out.push("### Targets");
  out.push("");
  out.push(
    table(
      ["Target", "This run", "Met"],
      report.targets.map((t) => [t.target, t.figure, t.met === undefined ? "n/a" : t.met ? "yes" : "NO"]),
    ),
  );
  return `${out.join("\n")}\n`;
}
