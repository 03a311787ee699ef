/**
 * The local fix journal: one JSON file per fix in `<dataDir>/fix-journal/<id>.json`.
 *
 * Each entry holds the original bytes of every file the fix changed (base64), so undo
 * restores them exactly even when the backup beside the file on the host is gone. An
 * entry is written before anything on the host changes (status `pending`) and updated
 * as the fix goes on, so an apply cut short (a dropped connection, a killed process) can
 * still be undone. Files are private (mode 0600): dotfiles can hold secrets.
 */

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvlensError } from '../shared/errors';
import { FIX_JOURNAL_SCHEMA, type FixJournalEntry, type FixSummary } from '../shared/fix';
import { writeFileAtomic } from './files';

const ID_RE = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** Whether `id` can name a journal entry. */
export function isValidFixId(id: string): boolean {
  return ID_RE.test(id);
}

/** The list form of an entry (no file contents). */
export function summarizeFix(entry: FixJournalEntry): FixSummary {
  const summary: FixSummary = {
    id: entry.id,
    createdAt: entry.createdAt,
    status: entry.status,
    target: entry.target,
    user: entry.user,
    host: entry.host,
    port: entry.port,
    variable: entry.variable,
    strategy: entry.strategy,
    files: entry.files.map((f) => f.path),
  };
  if (entry.tools?.length) summary.tools = entry.tools.map((t) => `${t.tool} ${t.setting}`);
  if (entry.verified !== undefined) summary.verified = entry.verified;
  if (entry.undoneAt) summary.undoneAt = entry.undoneAt;
  return summary;
}

/** The fix journal in a data folder. */
export class FixJournal {
  /** `<dataDir>/fix-journal`. */
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'fix-journal');
  }

  /** A new, sortable id: UTC time to the second, then 6 random hex digits. */
  newId(now: Date = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return `${stamp}-${randomBytes(3).toString('hex')}`;
  }

  /** Path of entry `id`. */
  file(id: string): string {
    if (!isValidFixId(id)) throw new EnvlensError('usage', `"${id}" is not a fix id`, 'Fix ids look like 20261125T140000Z-1a2b3c; `envlens fix TARGET --list` shows them.');
    return join(this.dir, `${id}.json`);
  }

  /** Write (or rewrite) an entry atomically; resolves with its path. */
  async write(entry: FixJournalEntry): Promise<string> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const path = this.file(entry.id);
      await writeFileAtomic(path, `${JSON.stringify(entry, null, 2)}\n`, 0o600);
      return path;
    } catch (error) {
      if (error instanceof EnvlensError) throw error;
      throw new EnvlensError('io', `cannot write the fix journal in ${this.dir}: ${(error as Error).message}`, 'envlens keeps undo data there before it changes anything; free some space or point ENVLENS_DATA_DIR at a writable folder.');
    }
  }

  /** Remove an entry (used when a fix was refused before anything was written). */
  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  /** Read entry `id`. */
  async read(id: string): Promise<FixJournalEntry> {
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EnvlensError('usage', `there is no fix ${id} in ${this.dir}`);
      throw new EnvlensError('io', `cannot read fix ${id}: ${(error as Error).message}`);
    }
    const entry = JSON.parse(text) as FixJournalEntry;
    if (entry?.schema !== FIX_JOURNAL_SCHEMA || entry.id !== id) throw new EnvlensError('io', `${this.file(id)} is not an envlens fix journal entry`);
    return entry;
  }

  /** Every readable entry, newest first (unreadable files are skipped, never deleted). */
  async list(): Promise<FixJournalEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const ids = names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5))
      .filter(isValidFixId)
      .sort()
      .reverse();
    const out: FixJournalEntry[] = [];
    for (const id of ids) {
      try {
        out.push(await this.read(id));
      } catch {
        // skipped
      }
    }
    return out;
  }

  /**
   * The newest fix of `variable` for this account that can still be undone (not undone
   * yet), matched on user, host and port.
   */
  async findLast(where: { user: string; host: string; port: number; variable?: string }): Promise<FixJournalEntry | undefined> {
    return (await this.list()).find(
      (e) =>
        e.status !== 'undone' &&
        e.user === where.user &&
        e.host === where.host &&
        e.port === where.port &&
        (where.variable === undefined || e.variable === where.variable || e.assignments.some((a) => a.name === where.variable)),
    );
  }
}
