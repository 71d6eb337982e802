import { describe, expect, it } from "vitest";
import { cpuBetween, procStatCpuMicros } from "./server-cpu.ts";

describe("server CPU accounting", () => {
  it("reads utime + stime from a /proc stat line whose command holds spaces and parentheses", () => {
    const stat = "4242 (postgres: dubstage db (x) 127.0.0.1(5432) idle) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0";
    expect(procStatCpuMicros(stat, 100)).toBe(3_000_000);
  });

  it("rejects a line it cannot read", () => {
    expect(() => procStatCpuMicros("garbage", 100)).toThrow(/unreadable/);
  });

  it("sums the growth of every backend, counting a new one from zero", () => {
    const before = new Map([
      [1, 1_000],
      [2, 5_000],
    ]);
    const after = new Map([
      [1, 4_000],
      [2, 5_500],
      [3, 700],
    ]);
    expect(cpuBetween(before, after)).toBe(3_000 + 500 + 700);
  });
});
