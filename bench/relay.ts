/**
 * A TCP relay that adds a fixed delay in each direction: a slow link on loopback.
 *
 * Used by the benchmark to compare envlens and plain ssh over a 25 ms-each-way path
 * (50 ms round trip), where round trips rather than CPU dominate.
 *
 * Run it in its own process ({@link startRelayProcess}): the benchmark runs the ssh
 * baselines with `spawnSync`, which blocks its event loop, so an in-process relay would
 * stop forwarding (a deadlock), and an in-process relay would also share a thread with
 * the envlens capture it is supposed to measure. `node --import tsx bench/relay.ts
 * HOST PORT DELAY_MS` prints the relay's port and runs until killed.
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** Start a relay in this process on 127.0.0.1 forwarding to `host:port` with `delayMs` each way. */
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

/** What a {@link startFaultRelay} does to the link once enough bytes went from the server to the client. */
export interface RelayFault {
  /** After this many server-to-client bytes, destroy both sockets (a dropped link). */
  dropAfterBytes?: number;
  /** After this many server-to-client bytes, forward nothing more in either direction but keep both sockets open (a stalled link). */
  stallAfterBytes?: number;
}

/** A relay with a fault: its port, how many server bytes it forwarded, when the fault struck, how to stop it. */
export interface FaultRelay extends Relay {
  forwardedBytes(): number;
  /** `performance.now()` when the link was dropped or stalled, or undefined while it has not. */
  faultAt(): number | undefined;
}

/**
 * Start a relay in this process on 127.0.0.1 to `host:port` that drops or stalls the link
 * mid-stream (test/integration/faults.test.ts). It runs in the caller's event loop, so the
 * caller must not block it (captureSnapshot is asynchronous; spawnSync would deadlock).
 */
export async function startFaultRelay(host: string, port: number, fault: RelayFault): Promise<FaultRelay> {
  const sockets = new Set<Socket>();
  let forwarded = 0;
  let faultAt: number | undefined;
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client).add(upstream);
    let stalled = false;
    client.on('data', (chunk: Buffer) => {
      if (!stalled && !upstream.destroyed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) return;
      const limit = fault.dropAfterBytes ?? fault.stallAfterBytes ?? Infinity;
      if (forwarded + chunk.length < limit) {
        forwarded += chunk.length;
        client.write(chunk);
        return;
      }
      const head = chunk.subarray(0, Math.max(0, limit - forwarded));
      forwarded += head.length;
      if (head.length) client.write(head);
      faultAt ??= performance.now();
      if (fault.dropAfterBytes !== undefined) {
        client.destroy();
        upstream.destroy();
      } else {
        stalled = true;
      }
    });
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on('end', () => {
        if (!stalled) b.end();
      });
      a.on('error', () => b.destroy());
      a.on('close', () => sockets.delete(a));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('relay has no port');
  return {
    port: address.port,
    forwardedBytes: () => forwarded,
    faultAt: () => faultAt,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Start a relay in a child process (same loader flags as this one, e.g. tsx); see the module note. */
export async function startRelayProcess(host: string, port: number, delayMs: number): Promise<Relay> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), host, String(port), String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const relayPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`relay process exited with ${code}`)));
    child.once('error', reject);
  });
  return {
    port: relayPort,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [host = '127.0.0.1', port = '22', delay = '25'] = process.argv.slice(2);
  const relay = await startRelay(host, Number(port), Number(delay));
  process.stdout.write(`${relay.port}\n`);
  process.on('SIGTERM', () => void relay.close().then(() => process.exit(0)));
}
