import { connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy in front of a gRPC server that can stop passing the server's bytes back: armed, it holds
 * every byte the server sends, so a response the server has already produced never reaches the client;
 * `dropConnections` then cuts every connection, as a network failure after the server committed would.
 */
export async function startHoldingProxy(target: { host: string; port: number }) {
  const pairs = new Set<[Socket, Socket]>();
  let holding = false;
  let heldBytes = 0;
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (holding) heldBytes += chunk.length;
      else client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on("close", close);
    upstream.on("close", close);
    client.on("error", close);
    upstream.on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");
  return {
    address: `127.0.0.1:${address.port}`,
    /** From now on the server's bytes are held, not passed on. */
    hold(): void {
      holding = true;
    },
    /** Bytes the server sent while held. */
    heldBytes: () => heldBytes,
    /** Cuts every open connection (the held bytes are lost) and passes bytes through again. */
    dropConnections(): void {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      holding = false;
    },
    async close(): Promise<void> {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
