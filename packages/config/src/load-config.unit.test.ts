import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { loadConfig } from "./load-config.ts";
import { loadConfigOrExit } from "./load-config-or-exit.ts";

const schema = z.object({
  DATABASE_URL: z.url(),
  PORT: z.coerce.number().int().min(1).max(65535).default(50051),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  API_TOKEN: z.string().min(32),
  TAGS: z
    .string()
    .default("")
    .transform((s) => s.split(",").filter(Boolean)),
});

const valid = { DATABASE_URL: "postgres://u:p@localhost/db", API_TOKEN: "x".repeat(32), UNRELATED: "ignored" };

describe("loadConfig", () => {
  it("parses, applies defaults, coerces and drops unknown variables", () => {
    const config = loadConfig(schema, { ...valid, PORT: "7000", TAGS: "a,b" });
    expect(config).toEqual({
      DATABASE_URL: valid.DATABASE_URL,
      PORT: 7000,
      LOG_LEVEL: "info",
      API_TOKEN: valid.API_TOKEN,
      TAGS: ["a", "b"],
    });
    expect("UNRELATED" in config).toBe(false);
  });

  it("returns a deeply frozen object", () => {
    const config = loadConfig(schema, { ...valid, TAGS: "a" });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.TAGS)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
  });

  it("lists every invalid variable by name, not just the first", () => {
    const error = catchError(() => loadConfig(schema, { PORT: "99999", LOG_LEVEL: "loud", API_TOKEN: "short-secret-value" }));
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.name).sort();
    expect(names).toEqual(["API_TOKEN", "DATABASE_URL", "LOG_LEVEL", "PORT"]);
    expect((error as ConfigError).message).toContain("4 variables");
    for (const name of names) expect((error as ConfigError).message).toContain(name);
  });

  it("never echoes a value, even when a custom message interpolates it", () => {
    const leaky = z.object({
      SECRET: z.string().refine((s) => s.startsWith("sk-"), { error: (issue) => `bad secret ${String(issue.input)}` }),
    });
    const error = catchError(() => loadConfig(leaky, { SECRET: "hunter2-password" })) as ConfigError;
    expect(error.problems).toEqual([{ name: "SECRET", problem: "bad secret <redacted>" }]);
    expect(error.message).not.toContain("hunter2");
  });
});

describe("loadConfigOrExit", () => {
  it("prints the names and exits with code 1", () => {
    const printed: string[] = [];
    let exitCode: number | undefined;
    const exit = ((code: number) => {
      exitCode = code;
      throw new Error("exited");
    }) as (code: number) => never;
    expect(() => loadConfigOrExit(schema, { API_TOKEN: "tiny" }, { print: (t) => printed.push(t), exit })).toThrow("exited");
    expect(exitCode).toBe(1);
    expect(printed.join("")).toMatch(/DATABASE_URL/);
    expect(printed.join("")).toMatch(/API_TOKEN/);
    expect(printed.join("")).not.toContain("tiny");
  });

  it("returns the config when valid", () => {
    expect(loadConfigOrExit(schema, valid).PORT).toBe(50051);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
