/**
 * A TCP relay that adds a fixed delay in each direction: a slow link on loopback.
 *
 * Used by the benchmark to compare envlens and plain ssh over a 25 ms-each-way path
 * (50 ms round trip), where round trips rather than CPU dominate.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running relay: its port and how to stop it. */
export interface Relay {
  port: number;
  close(): Promise<void>;
}

function delayed(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
}

/** Start a relay on 127.0.0.1 forwarding to `host:port` with `delayMs` each way. */
export async function startRelay(host: string, port: number, delayMs: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    delayed(client, upstream, delayMs);
    delayed(upstream, client, delayMs);
    const forget = (): void => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', forget);
    upstream.on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('relay has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
