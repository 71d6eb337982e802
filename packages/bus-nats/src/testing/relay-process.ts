// A relay in its own process, for fault tests that kill it with SIGKILL. Configured by environment
// (see RelayTestBed.childEnv); prints one line per role change and progress to stdout.
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import pg from "pg";
import { connectNats } from "../connect.ts";
import { appendChannel, listenForAppends } from "../relay/append-notifications.ts";
import { postgresRelayLeadership } from "../relay/postgres-leadership.ts";
import { createRelay } from "../relay/relay.ts";
import { createPostgresRelayCheckpointStore } from "../relay/relay-checkpoints.ts";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`relay-process: ${name} is not set`);
  return value;
}

const pool = new pg.Pool({ connectionString: env("DATABASE_URL"), max: 4 });
pool.on("error", () => {});
const schema = env("RELAY_EVENTLOG_SCHEMA");
const relayName = env("RELAY_NAME");
const eventLog = await createPostgresEventLog({ pool, schema, migrate: false });
const nats = await connectNats(env("NATS_URL"), `relay-process-${process.pid}`);
const notifications = listenForAppends(pool, appendChannel(schema));
let published = 0;
const relay = createRelay({
  eventLog,
  nats,
  checkpoints: createPostgresRelayCheckpointStore(pool),
  tryAcquireLeadership: postgresRelayLeadership(pool, relayName),
  relayName,
  stream: { name: env("RELAY_STREAM"), subjectPrefix: env("RELAY_SUBJECT_PREFIX") },
  standbyPollMs: 200,
  subscribeToAppends: notifications.subscribe,
  onRoleChange: (role) => process.stdout.write(`role ${role}\n`),
  onPublished: () => {
    published++;
    if (published % 100 === 0) process.stdout.write(`published ${published}\n`);
  },
});
relay.start();
process.on("SIGTERM", async () => {
  await relay.stop();
  await notifications.close();
  await nats.close();
  await eventLog.close();
  await pool.end();
  process.exit(0);
});
