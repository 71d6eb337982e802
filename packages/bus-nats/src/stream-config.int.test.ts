import { randomBytes } from "node:crypto";
import { requireEnv } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "./connect.ts";
import { ensureSessionEventStream } from "./stream-config.ts";

let nats: NatsConnection;
const created: string[] = [];
beforeAll(async () => {
  nats = await connectNats(requireEnv("NATS_URL"), "stream-config-test");
});
afterAll(async () => {
  const jsm = await jetstreamManager(nats);
  for (const name of created) await jsm.streams.delete(name).catch(() => {});
  await nats.close();
});

function names() {
  const suffix = randomBytes(4).toString("hex");
  const name = `DUBSTAGE_CFG_${suffix.toUpperCase()}`;
  created.push(name);
  return { name, subjectPrefix: `cfg${suffix}.session` };
}

describe("ensureSessionEventStream", () => {
  it("creates the stream with the documented config, then is a no-op, then applies changed settings", async () => {
    const jsm = await jetstreamManager(nats);
    const opts = names();
    const first = await ensureSessionEventStream(jsm, opts);
    expect(first.config).toMatchObject({
      name: opts.name,
      subjects: [`${opts.subjectPrefix}.>`],
      storage: "file",
      retention: "limits",
      max_age: 30 * 86_400 * 1e9,
      duplicate_window: 120 * 1e9,
      deny_delete: true,
    });
    const again = await ensureSessionEventStream(jsm, opts);
    expect(again.created).toEqual(first.created);
    expect(again.config).toEqual(first.config);

    const updated = await ensureSessionEventStream(jsm, { ...opts, maxAgeMs: 7 * 86_400_000, duplicateWindowMs: 300_000 });
    expect(updated.config.max_age).toBe(7 * 86_400 * 1e9);
    expect(updated.config.duplicate_window).toBe(300 * 1e9);
    expect((await jsm.streams.info(opts.name)).config.max_age).toBe(7 * 86_400 * 1e9);
  });

  it("is safe when several processes ensure it at once", async () => {
    const opts = names();
    const managers = await Promise.all([1, 2, 3].map(() => jetstreamManager(nats)));
    const infos = await Promise.all(managers.map((jsm) => ensureSessionEventStream(jsm, opts)));
    expect(new Set(infos.map((i) => i.config.name))).toEqual(new Set([opts.name]));
  });

  it("refuses an existing stream whose storage cannot be changed in place", async () => {
    const jsm = await jetstreamManager(nats);
    const opts = names();
    await jsm.streams.add({ name: opts.name, subjects: [`${opts.subjectPrefix}.>`], storage: "memory" as never });
    await expect(ensureSessionEventStream(jsm, opts)).rejects.toMatchObject({
      kind: "validation",
      message: expect.stringMatching(/storage memory/),
    });
  });
});
