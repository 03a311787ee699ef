/**
 * Importing probe outputs from disk: the files and folders `envlens import` is given
 * (Ansible's fetch layout `<folder>/<host>/…/file`), each turned into a snapshot by
 * {@link importProbeOutput}, and the lot as a fleet result like `envlens fleet` makes.
 *
 * Shared by the CLI (`envlens import`), the service (the fleet screen's "Open probe
 * outputs") and the scale benchmark, so all three measure and run the same code.
 * Files are read one at a time (bounded memory: one output's bytes are dropped once its
 * snapshot is built), never all at once.
 */

import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compareFleet, FLEET_SCHEMA, type FleetHost, type FleetResult } from '../core/fleet';
import { hostNameOf, importProbeOutput, MalformedProbeOutput } from '../core/probe-import';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, type Snapshot } from '../shared/model';
import { VERSION } from '../shared/version';

/** One file to import and the host it belongs to. */
export interface ProbeInput {
  file: string;
  host: string;
}

/** An output that could not be imported, for its host. */
export interface ImportFailure {
  host: string;
  file: string;
  error: string;
  /** The file could not be read at all (as opposed to read but malformed). */
  unreadable?: true;
}

/** What one input became: its snapshot, or why not. */
export type ImportEntry = Snapshot | ImportFailure;

/** Whether an entry is a failure. */
export function isImportFailure(entry: ImportEntry): entry is ImportFailure {
  return 'error' in entry;
}

/**
 * The inputs under `path`: the file itself (host = its name without extension), or every
 * file of a folder, sorted by name, hidden ones skipped (host = the first folder under it).
 * Throws a `usage` EnvlensError when `path` cannot be read.
 */
export async function collectProbeInputs(path: string): Promise<ProbeInput[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new EnvlensError('usage', `cannot read ${path}: ${(error as Error).message}`, 'Give a probe output file, or the folder Ansible fetched the outputs into.');
  }
  if (!info.isDirectory()) return [{ file: path, host: hostNameOf(path) }];
  const root = path.replace(/\/+$/, '') || '/';
  const files: string[] = [];
  // Synchronous: one readdir per host folder, 10,000 of them in ~0.1 s, where the promise
  // API takes ~0.5 s.
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  walk(root);
  return files.map((file) => ({ file, host: hostNameOf(file, root) }));
}

/**
 * A file's bytes and modification time, from one open.
 *
 * Synchronous on purpose: a probe output is ~30 KiB in the page cache, where open, fstat,
 * read and close take microseconds, while the promise API's FileHandle costs ~4× the CPU
 * (0.7 s of 10,000 files against 0.2 s). {@link importProbeInputs} yields to the event
 * loop between files often enough for progress and other work.
 */
function readWithMtime(file: string): { bytes: Uint8Array; mtime: Date } {
  const fd = openSync(file, 'r');
  try {
    const info = fstatSync(fd);
    let bytes = new Uint8Array(info.size);
    let length = 0;
    for (;;) {
      if (length === bytes.length) {
        // The file grew since fstat (or /proc-like sizes): read on until EOF.
        const grown = new Uint8Array(Math.max(64 * 1024, bytes.length * 2));
        grown.set(bytes);
        bytes = grown;
      }
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { bytes: length === bytes.length ? bytes : bytes.subarray(0, length), mtime: info.mtime };
  } finally {
    closeSync(fd);
  }
}

/**
 * Replace the snapshot's variable names, values and stderr texts by the pool's copy of
 * the same string (adding new ones). Across a fleet most values are the same on every
 * host (PATH, LS_COLORS, proxies…): 10,000 hosts then hold one copy of each, not 10,000,
 * which more than halves the memory of a large import and the garbage collector's work.
 */
export function internSnapshot(snapshot: Snapshot, pool: Map<string, string>): void {
  const intern = (text: string): string => {
    const known = pool.get(text);
    if (known !== undefined) return known;
    pool.set(text, text);
    return text;
  };
  for (const result of Object.values(snapshot.contexts)) {
    if (!result) continue;
    // Values are replaced in place, keeping the order (names are property keys, which the
    // engine already keeps once). `__proto__` is defined, not assigned: it stays a variable.
    const env = result.env;
    if (env) {
      for (const name of Object.keys(env)) {
        if (name === '__proto__') Object.defineProperty(env, name, { value: intern(env[name]!), writable: true, enumerable: true, configurable: true });
        else env[name] = intern(env[name]!);
      }
    }
    if (result.stderr) result.stderr = intern(result.stderr);
  }
}

/** Options of {@link importProbeInputs}. */
export interface ImportInputsOptions {
  /** Called once per input, in input order, as it is imported. */
  onEntry?: (entry: ImportEntry, input: ProbeInput) => void;
  /**
   * The built worker script (`out/cli/import-worker.mjs`, from ./probe-import-worker.ts)
   * that imports outputs on other threads. Default none: everything on this thread.
   * Used from {@link WORKER_MIN_INPUTS} inputs on, when the machine has more than one CPU.
   */
  workerScript?: URL;
  /** Worker threads with `workerScript`. Default: the CPUs available, at most 4. */
  workers?: number;
}

/** How long the import runs before it lets the event loop turn (progress output, IPC). */
const SLICE_MS = 50;

/** Fewer inputs than this are imported on this thread: starting workers would cost more. */
export const WORKER_MIN_INPUTS = 500;

/** Inputs a worker is handed at once (small enough to balance, large enough to batch). */
const WORKER_BATCH = 50;

/**
 * Import one input: its snapshot, or an {@link ImportFailure} when it is malformed or
 * unreadable. Any other error (a bug) is thrown.
 */
export function importProbeInput(input: ProbeInput): ImportEntry {
  try {
    const { bytes, mtime } = readWithMtime(input.file);
    return importProbeOutput(bytes, { hostName: input.host, id: randomUUID(), capturedAt: mtime.toISOString(), version: VERSION });
  } catch (error) {
    if (!(error instanceof MalformedProbeOutput) && !(error as NodeJS.ErrnoException).code) throw error;
    return { host: input.host, file: input.file, error: (error as Error).message, ...(error instanceof MalformedProbeOutput ? {} : { unreadable: true as const }) };
  }
}

/**
 * Import every input; the result is in input order. A malformed or unreadable output is a
 * {@link ImportFailure}; any other error (a bug) is thrown.
 *
 * On this thread: one file at a time, read synchronously (see readWithMtime), yielding to
 * the event loop every {@link SLICE_MS} ms so a caller's progress and other requests still
 * run. With `workerScript` and enough inputs: batches of files on worker threads
 * (parsing is most of the work), snapshots interned here as they come back.
 */
export async function importProbeInputs(inputs: readonly ProbeInput[], options: ImportInputsOptions = {}): Promise<ImportEntry[]> {
  const workers = Math.min(options.workers ?? Math.min(availableParallelism(), 4), Math.ceil(inputs.length / WORKER_BATCH));
  if (options.workerScript && inputs.length >= WORKER_MIN_INPUTS && workers > 1) return importInWorkers(inputs, options.workerScript, workers, options.onEntry);
  const { onEntry } = options;
  const entries = new Array<ImportEntry>(inputs.length);
  const pool = new Map<string, string>();
  let sliceStart = performance.now();
  for (let i = 0; i < inputs.length; i++) {
    const entry = importProbeInput(inputs[i]!);
    if (!isImportFailure(entry)) internSnapshot(entry, pool);
    entries[i] = entry;
    onEntry?.(entry, inputs[i]!);
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return entries;
}

/** A batch a worker was asked for, and what it answered (./probe-import-worker.ts). */
export interface WorkerRequest {
  batch: number;
  inputs: ProbeInput[];
}
/** The entries of a batch, in order, or the bug that stopped it. */
export type WorkerReply = { batch: number; entries: ImportEntry[] } | { batch: number; error: string };

/** {@link importProbeInputs} over `count` worker threads, batch by batch, results in input order. */
async function importInWorkers(inputs: readonly ProbeInput[], script: URL, count: number, onEntry: ImportInputsOptions['onEntry']): Promise<ImportEntry[]> {
  const entries = new Array<ImportEntry>(inputs.length);
  const pool = new Map<string, string>();
  const batches = Math.ceil(inputs.length / WORKER_BATCH);
  let nextBatch = 0;
  let reported = 0;
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const send = (worker: Worker): void => {
        if (nextBatch >= batches) return;
        const batch = nextBatch++;
        worker.postMessage({ batch, inputs: inputs.slice(batch * WORKER_BATCH, (batch + 1) * WORKER_BATCH) } satisfies WorkerRequest);
      };
      for (let t = 0; t < count; t++) {
        const worker = new Worker(script);
        threads.push(worker);
        const again = 'run the import again; if it fails again, import the folders in smaller parts and report it';
        worker.on('error', (error) => reject(new Error(`an import worker thread failed: ${error.message}; ${again}`)));
        worker.on('messageerror', (error) => reject(new Error(`an import worker's answer could not be read: ${error.message}; ${again}`)));
        worker.on('exit', (code) => {
          if (finished < batches) reject(new Error(`the import worker stopped (exit code ${code}) before the import was done (out of memory?); ${again}`));
        });
        worker.on('message', (reply: WorkerReply) => {
          try {
            if ('error' in reply) throw new Error(reply.error);
            send(worker);
            const base = reply.batch * WORKER_BATCH;
            reply.entries.forEach((entry, k) => {
              if (!isImportFailure(entry)) internSnapshot(entry, pool);
              entries[base + k] = entry;
            });
            while (reported < inputs.length && entries[reported] !== undefined) {
              onEntry?.(entries[reported]!, inputs[reported]!);
              reported++;
            }
            if (++finished === batches) resolve();
          } catch (error) {
            reject(error as Error);
          }
        });
        send(worker);
      }
    });
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
  return entries;
}

/**
 * The imported hosts as a fleet result (`envlens.fleet/v1`), compared like `envlens fleet`
 * compares: malformed outputs are failed hosts (kind `probe`). `snapshots` replaces the
 * imported snapshots in the result (e.g. redacted copies, same order); the comparison is
 * always of what the result holds.
 */
export function importedFleetResult(entries: readonly ImportEntry[], snapshots?: readonly Snapshot[]): FleetResult {
  let next = 0;
  const hosts: FleetHost[] = entries.map((e) => {
    if (isImportFailure(e)) return { target: e.host, status: 'failed', error: { kind: 'probe', message: `${e.file}: ${e.error}` } };
    const snapshot = snapshots ? snapshots[next]! : e;
    next++;
    return { target: e.target.label, status: 'ok', snapshot };
  });
  const present = new Set<string>();
  for (const e of entries) if (!isImportFailure(e)) for (const id of Object.keys(e.contexts)) present.add(id);
  const contexts = CONTEXT_IDS.filter((id) => present.has(id));
  return { schema: FLEET_SCHEMA, capturedAt: new Date().toISOString(), contexts, hosts, comparison: compareFleet(hosts, { contexts }) };
}
