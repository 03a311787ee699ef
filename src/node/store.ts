/**
 * Where the app keeps snapshots and recent targets: plain JSON files in a data folder.
 *
 * Layout of the data folder:
 *
 * ```
 * <dataDir>/snapshots/<id>.json   one envlens.snapshot/v1 document each, mode 0600
 * <dataDir>/recent.json           targets captured lately, newest first, at most 20
 * ```
 *
 * A snapshot file is exactly what `envlens capture --json` prints, so people can copy
 * files in and out by hand. Files are written atomically (temp + fsync + rename), so a
 * crash never leaves a torn file behind; a file that is torn or edited into nonsense
 * anyway is reported in {@link SnapshotList.problems}, skipped, and left where it is
 * (it may be the only copy of something).
 */

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SnapshotList, SnapshotMeta } from '../shared/api';
import { EnvlensError } from '../shared/errors';
import { SNAPSHOT_SCHEMA, isContextId, type ContextResult, type Snapshot } from '../shared/model';
import { writeFileAtomic } from './files';

/** How many targets `recent.json` remembers. */
export const RECENT_LIMIT = 20;

/** A target captured lately. */
export interface RecentTarget {
  target: string;
  /** ISO 8601 time of the latest capture. */
  lastCapturedAt: string;
}

/**
 * The default data folder: `$ENVLENS_DATA_DIR`, else `$XDG_DATA_HOME/envlens`, else
 * `~/.local/share/envlens` (the XDG Base Directory default).
 *
 * `ENVLENS_DATA_DIR` lets tests and people with several setups point every door (CLI,
 * browser mode, desktop app) at another folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.ENVLENS_DATA_DIR) return env.ENVLENS_DATA_DIR;
  const xdg = env.XDG_DATA_HOME;
  // The spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'envlens');
  return join(home, '.local', 'share', 'envlens');
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether `id` can name a snapshot file (no path separators, no leading dot). */
export function isValidSnapshotId(id: string): boolean {
  return ID_RE.test(id);
}

const STATUSES = new Set<string>(['ok', 'timeout', 'error', 'unavailable']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check that `value` has the shape of an `envlens.snapshot/v1` document.
 *
 * Checks what the app relies on (schema tag, id, time, target, host, each context's
 * status and string-valued env) and lets other fields through, so documents from newer
 * patch versions still load. Throws an EnvlensError of kind `usage` saying what is wrong.
 */
export function validateSnapshot(value: unknown): Snapshot {
  const fail = (why: string): never => {
    throw new EnvlensError('usage', `not an envlens snapshot: ${why}`, `Expected a JSON document with "schema": "${SNAPSHOT_SCHEMA}", as written by envlens capture --json.`);
  };
  if (!isRecord(value)) return fail('the JSON is not an object');
  if (value.schema !== SNAPSHOT_SCHEMA) return fail(typeof value.schema === 'string' ? `schema is "${value.schema}"` : 'the "schema" field is missing');
  if (typeof value.id !== 'string' || value.id === '') fail('"id" is missing');
  if (typeof value.capturedAt !== 'string' || Number.isNaN(Date.parse(value.capturedAt))) fail('"capturedAt" is not a date');
  const target = value.target;
  if (!isRecord(target) || typeof target.label !== 'string' || typeof target.host !== 'string' || typeof target.user !== 'string' || typeof target.port !== 'number') {
    fail('"target" needs label, host, user and port');
  }
  const host = value.host;
  if (!isRecord(host) || typeof host.hostname !== 'string') fail('"host.hostname" is missing');
  const contexts = value.contexts;
  if (!isRecord(contexts)) return fail('"contexts" is not an object');
  for (const [name, result] of Object.entries(contexts)) {
    if (!isContextId(name)) fail(`unknown context "${name}"`);
    if (!isRecord(result) || typeof result.status !== 'string' || !STATUSES.has(result.status)) fail(`context "${name}" has no valid status`);
    const env = (result as Record<string, unknown>).env;
    if (env !== undefined && (!isRecord(env) || Object.values(env).some((v) => typeof v !== 'string'))) fail(`context "${name}" has an env that is not a map of strings`);
  }
  return value as unknown as Snapshot;
}

/** The list entry of a snapshot: who, where, when, and how its contexts ended. */
export function snapshotMeta(snapshot: Snapshot): SnapshotMeta {
  const statuses: SnapshotMeta['statuses'] = {};
  for (const result of Object.values(snapshot.contexts) as ContextResult[]) {
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
  }
  return { id: snapshot.id, target: snapshot.target.label, hostname: snapshot.host.hostname, capturedAt: snapshot.capturedAt, statuses };
}

/** errno codes that mean "the folder cannot take this write", and what to tell the person. */
const IO_REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  ENOTDIR: 'a path component is not a folder',
  EISDIR: 'a folder is in the way',
  EMFILE: 'too many open files',
};

function ioError(action: string, path: string, error: unknown): EnvlensError {
  if (error instanceof EnvlensError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = IO_REASONS[code] ?? (error as Error).message;
  return new EnvlensError('io', `cannot ${action} ${path}: ${reason}`, 'Free some space or fix the folder’s permissions, or point ENVLENS_DATA_DIR at a writable folder.', code ? { code } : undefined);
}

/**
 * Snapshots and recent targets in one data folder.
 *
 * Every method is safe to call concurrently: writes are atomic renames, and updates of
 * `recent.json` are serialized within the process. Listing caches each file's summary by
 * size and modification time, so listing many large snapshots reads only what changed.
 */
export class SnapshotStore {
  /** The data folder. */
  readonly dataDir: string;
  /** `<dataDir>/snapshots`. */
  readonly snapshotsDir: string;
  private readonly recentFile: string;
  private readonly metaCache = new Map<string, { size: number; mtimeMs: number; meta: SnapshotMeta }>();
  private recentQueue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.snapshotsDir = join(dataDir, 'snapshots');
    this.recentFile = join(dataDir, 'recent.json');
  }

  private fileOf(id: string): string {
    if (!isValidSnapshotId(id)) throw new EnvlensError('usage', `"${id}" is not a snapshot id`);
    return join(this.snapshotsDir, `${id}.json`);
  }

  private async ensureDir(): Promise<void> {
    try {
      await mkdir(this.snapshotsDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw ioError('create the folder', this.snapshotsDir, error);
    }
  }

  /** Save a snapshot under its id (replacing one with the same id); resolves with its list entry. */
  async save(snapshot: Snapshot): Promise<SnapshotMeta> {
    const file = this.fileOf(snapshot.id);
    await this.ensureDir();
    try {
      await writeFileAtomic(file, `${JSON.stringify(snapshot, null, 2)}\n`, 0o600);
    } catch (error) {
      throw ioError('save the snapshot in', this.snapshotsDir, error);
    }
    return snapshotMeta(snapshot);
  }

  /** Every readable snapshot, newest first, and the files that could not be read. */
  async list(): Promise<SnapshotList> {
    let names: string[];
    try {
      names = await readdir(this.snapshotsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { snapshots: [], problems: [] };
      throw ioError('read the folder', this.snapshotsDir, error);
    }
    const files = names.filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    const snapshots: SnapshotMeta[] = [];
    const problems: SnapshotList['problems'] = [];
    const seen = new Set<string>();
    await Promise.all(
      files.map(async (name) => {
        const file = join(this.snapshotsDir, name);
        seen.add(file);
        try {
          snapshots.push(await this.metaOf(file, name.slice(0, -'.json'.length)));
        } catch (error) {
          problems.push({ file, message: (error as Error).message });
        }
      }),
    );
    for (const key of this.metaCache.keys()) if (!seen.has(key)) this.metaCache.delete(key);
    snapshots.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || a.id.localeCompare(b.id));
    problems.sort((a, b) => a.file.localeCompare(b.file));
    return { snapshots, problems };
  }

  private async metaOf(file: string, idFromName: string): Promise<SnapshotMeta> {
    const info = await stat(file);
    const cached = this.metaCache.get(file);
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.meta;
    const snapshot = parseSnapshot(await readFile(file, 'utf8'));
    // The file name is the id the app addresses it by (someone may have renamed it).
    const meta = { ...snapshotMeta(snapshot), id: idFromName };
    this.metaCache.set(file, { size: info.size, mtimeMs: info.mtimeMs, meta });
    return meta;
  }

  /** One snapshot in full. Rejects with kind `usage` when there is none with that id. */
  async get(id: string): Promise<Snapshot> {
    const file = this.fileOf(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EnvlensError('usage', `there is no saved snapshot "${id}"`, 'It may have been deleted; refresh the list.');
      throw ioError('read', file, error);
    }
    const snapshot = parseSnapshot(text, file);
    return snapshot.id === id ? snapshot : { ...snapshot, id };
  }

  /** Delete one snapshot. Deleting one that is already gone is not an error. */
  async delete(id: string): Promise<void> {
    const file = this.fileOf(id);
    try {
      await rm(file, { force: true });
    } catch (error) {
      throw ioError('delete', file, error);
    }
    this.metaCache.delete(file);
  }

  /**
   * Import a snapshot from JSON text after checking it is an `envlens.snapshot/v1`.
   *
   * It keeps its id unless that id is already taken or cannot name a file; then it gets
   * a fresh one, so importing never overwrites a saved snapshot.
   */
  async import(json: string): Promise<SnapshotMeta> {
    const snapshot = parseSnapshot(json);
    let id = snapshot.id;
    if (!isValidSnapshotId(id) || (await this.exists(id))) id = randomUUID();
    return this.save({ ...snapshot, id });
  }

  private async exists(id: string): Promise<boolean> {
    return stat(this.fileOf(id)).then(
      () => true,
      () => false,
    );
  }

  /** Targets captured lately, newest first. A missing or unreadable recent.json reads as empty. */
  async recentTargets(): Promise<RecentTarget[]> {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(this.recentFile, 'utf8'));
    } catch {
      return [];
    }
    const list = isRecord(data) && Array.isArray(data.targets) ? data.targets : [];
    return list
      .filter((t): t is RecentTarget => isRecord(t) && typeof t.target === 'string' && typeof t.lastCapturedAt === 'string')
      .map((t) => ({ target: t.target, lastCapturedAt: t.lastCapturedAt }))
      .slice(0, RECENT_LIMIT);
  }

  /** Put `target` first in the recent targets (at most {@link RECENT_LIMIT} are kept). */
  recordTarget(target: string, at: string = new Date().toISOString()): Promise<void> {
    const run = async (): Promise<void> => {
      const list = (await this.recentTargets()).filter((t) => t.target !== target);
      list.unshift({ target, lastCapturedAt: at });
      try {
        await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
        await writeFileAtomic(this.recentFile, `${JSON.stringify({ version: 1, targets: list.slice(0, RECENT_LIMIT) }, null, 2)}\n`, 0o600);
      } catch (error) {
        throw ioError('save', this.recentFile, error);
      }
    };
    const next = this.recentQueue.then(run, run);
    this.recentQueue = next.catch(() => {});
    return next;
  }
}

function parseSnapshot(text: string, file?: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = file ? `${file} is not valid JSON` : 'the text is not valid JSON';
    throw new EnvlensError('usage', `${where} (${(error as Error).message}); it may be truncated`);
  }
  return validateSnapshot(value);
}
