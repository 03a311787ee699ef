/**
 * Writing files so that nothing is ever half-written.
 *
 * A temp file in the same directory, fsync, then rename: readers see the old file or the
 * new one, never a torn one, even if envlens is killed mid-write.
 */

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EnvlensError } from '../shared/errors';

/** Write `data` to `path` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Write a value as pretty JSON, atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** errno codes a write can fail with, as a person would say them. */
const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full (no space left on the device)',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a path component is not a folder',
  EISDIR: 'a folder is in the way',
  EMFILE: 'too many open files',
};

/**
 * A failed write of `path` as an `io` error that says what happened and what to do,
 * instead of a bare errno (which the CLI would report as an internal error).
 *
 * `hint` defaults to freeing space, fixing permissions or writing elsewhere. Errors that
 * are already EnvlensErrors pass through unchanged.
 */
export function writeError(path: string, error: unknown, hint = 'Free some space or fix the folder’s permissions, or write somewhere else.'): EnvlensError {
  if (error instanceof EnvlensError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = WRITE_REASONS[code] ?? (error as Error).message;
  return new EnvlensError('io', `cannot write ${path}: ${reason}; nothing was written there`, hint, code ? { code } : undefined);
}
