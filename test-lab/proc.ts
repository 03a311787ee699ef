/**
 * Small process, /proc and socket helpers for the test lab (Linux only).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** Result of a finished command. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell). Never throws; see {@link runOk}. */
export function run(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) return { status: null, stdout: '', stderr: r.error.message };
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command and throws, with its output, unless it exits 0. */
export function runOk(cmd: string, args: string[], input?: string): RunResult {
  const r = run(cmd, args, input);
  if (r.status !== 0) {
    const out = `${r.stderr}${r.stdout}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? 'none'})${out ? `: ${out}` : ''}`);
  }
  return r;
}

/** A process as /proc shows it. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  uid: number;
  /** argv, split on NUL. */
  argv: string[];
}

/** Reads one process from /proc; undefined if it is gone (or a zombie). */
export function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid …
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (after[0] === 'Z' || after[0] === 'X') return undefined;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    return { pid, ppid: Number(after[1]), uid, argv };
  } catch {
    return undefined;
  }
}

/** Every live process. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  return readProc(pid) !== undefined;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends SIGTERM to each pid, waits up to `timeoutMs`, then SIGKILLs survivors and waits again. */
export async function killAndWait(pids: number[], timeoutMs = 3000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (pids.some(isAlive) && Date.now() < deadline) await sleep(20);
  };
  if (pids.length === 0) return;
  signal('SIGTERM');
  await waitGone(timeoutMs);
  if (pids.some(isAlive)) {
    signal('SIGKILL');
    await waitGone(2000);
  }
}

/** True if something accepts TCP connections on host:port (within `timeoutMs`). */
export function portAccepts(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls until every host accepts connections on `port`; throws after `timeoutMs`. */
export async function waitForPorts(hosts: string[], port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = hosts;
  while (pending.length > 0) {
    const results = await Promise.all(pending.map((h) => portAccepts(h, port)));
    pending = pending.filter((_, i) => !results[i]);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`port ${port} not accepting connections on ${pending.join(', ')}`);
    await sleep(20);
  }
}
