import type { AppendResult } from "./append-workload.ts";
import { type CatchUpResult, readExactly } from "./catch-up.ts";
import type { MachineInfo } from "./machine.ts";
import type { BenchOptions } from "./options.ts";
import type { RelayResult } from "./relay.ts";

export interface BenchReport {
  readonly command: string;
  readonly machine: MachineInfo;
  readonly options: Omit<BenchOptions, "workloads" | "json"> & { workloads: string[] };
  readonly appends: AppendResult[];
  readonly catchUp: CatchUpResult[];
  /** Why a store has no catch-up figure (e.g. its API offers no read of all events). */
  readonly catchUpNotes: string[];
  readonly relay: RelayResult | { skipped: string };
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
  const relayFigure = "skipped" in relay ? undefined : relay;
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
      target: "relay commit -> JetStream ack >= 15,000 events/s (backlog drain)",
      figure: relayFigure === undefined ? "not measured" : `${fmt(relayFigure.backlog.eventsPerSecond)} events/s`,
      met: relayFigure === undefined ? undefined : relayFigure.backlog.eventsPerSecond >= 15_000,
    },
  ];
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
    const { backlog, live } = report.relay;
    out.push(
      table(
        ["Phase", "Events", "Seconds", "Events/s", "p50 lag ms", "p99 lag ms", "max lag ms"],
        [
          [
            "backlog drain (committed before the relay starts)",
            fmt(backlog.events),
            fmt(backlog.seconds, 2),
            fmt(backlog.eventsPerSecond),
            "",
            "",
            "",
          ],
          [
            `live (${live.writers} writers x ${live.eventsPerAppend} events appending)`,
            fmt(live.events),
            fmt(live.seconds, 2),
            fmt(live.eventsPerSecond),
            fmt(live.p50LagMs, 1),
            fmt(live.p99LagMs, 1),
            fmt(live.maxLagMs, 1),
          ],
        ],
      ),
    );
    out.push(
      "\nLag is the JetStream ack time minus the moment the append returned to its writer. Live events/s is bounded " +
        "by how fast the writers commit; the backlog drain shows the relay's own capacity.",
    );
    out.push(
      `\nRelay process CPU during the backlog drain: ${fmt(backlog.cpuMicrosPerEvent, 1)} us per event (user + system, reading and ` +
        "decoding $all included), a figure that load on the machine skews less than events/s.",
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
