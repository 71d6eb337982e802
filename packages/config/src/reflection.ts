import { z } from "zod";

/**
 * How a gRPC server offers reflection: not at all, to anyone (development, grpcurl without a token), or
 * only to callers with a valid token.
 */
export type ReflectionMode = "off" | "open" | "token";

/** The variables `reflectionMode` reads; spread them into a service's schema. */
export const reflectionEnv = {
  /** on | off. Unset: off when NODE_ENV=production, on elsewhere. */
  GRPC_REFLECTION: z.enum(["on", "off"], { error: "must be on or off" }).optional(),
  NODE_ENV: z.string().optional(),
};

/**
 * Reflection tells anyone who asks every method and message a service has: off by default in production,
 * and when switched on there it needs a token like any call. Outside production it is on and open.
 */
export function reflectionMode(env: {
  readonly GRPC_REFLECTION?: "on" | "off" | undefined;
  readonly NODE_ENV?: string | undefined;
}): ReflectionMode {
  const production = env.NODE_ENV === "production";
  const on = env.GRPC_REFLECTION === undefined ? !production : env.GRPC_REFLECTION === "on";
  if (!on) return "off";
  return production ? "token" : "open";
}
