/** A server the tests started (or found through an env URL); `stop` is a no-op for servers we did not start. */
export interface ServerHandle {
  readonly url: string;
  stop(): Promise<void>;
}

/** A NATS server we control: fault tests stop and restart it on the same port and data dir. */
export interface RestartableServerHandle extends ServerHandle {
  /** Stops the server, keeping its port and data, so `start` brings it back as it was. */
  halt(): Promise<void>;
  start(): Promise<void>;
}
