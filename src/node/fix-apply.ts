/**
 * Applying and undoing fixes on the host, safely.
 *
 * The order of things (each step refuses or cleans up before the next):
 *
 * 1. Preview ({@link previewFix}): read every candidate file over SFTP with its bytes,
 *    SHA-256, mtime, size, mode and owner; resolve symlinks (the real target is what gets
 *    written, the link stays); lock files outside the home directory, not owned by the
 *    account or not regular files.
 * 2. Apply ({@link applyFixPlan}): re-read every file the strategy touches and refuse if
 *    any changed since the preview (hash, mtime, size, existence, link target): nothing
 *    is written. Then the local journal entry (original bytes) is written BEFORE the
 *    host changes; each new content goes to a temp file in the same directory (SFTP open
 *    with O_EXCL), gets the original mode and group, is fsync'ed
 *    (`fsync@openssh.com`), and is checked with `bash -n` / `zsh -n` / `sh -n` over exec.
 *    A timestamped backup is made beside each file. Only then is each temp file renamed
 *    over its target (`posix-rename@openssh.com`, atomic): a reader, or a connection
 *    that drops, sees the old file or the new one, never a torn one. A rename that fails
 *    rolls back the files already renamed.
 *    A tool-native strategy (`go env -w`, `git config --global`, `npm config set`,
 *    `pip config set`) runs the tool's own command over exec after the checks and before
 *    the renames, with the setting's previous value (and its config file's bytes)
 *    journaled first; the tool's refusal (an invalid value) is shown and nothing is
 *    renamed.
 * 3. Verify: capture the chosen contexts again on the same connection and compare
 *    ({@link verifyFix}); a tool setting is also read back with the tool itself.
 * 4. Undo ({@link undoFixEntry}): put the journal's original bytes back (or remove files
 *    the fix created), refusing when a file changed since the fix unless forced; tool
 *    settings are put back with the tool's own command (`go env -w`/`-u`, `git config
 *    --global [--unset-all]`, `npm config set/delete`, `pip config set/unset`) and read
 *    back to check.
 */

import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { decodeUtf8, utf8Encode } from '../core/bytes';
import { isShell, type FileSyntax } from '../core/fix-blocks';
import { GO_ENV_VARIABLES, commandLine, fixCandidateFiles, planFix, resolveFixRequest, toolSetArgv, type FixPlan, type FixRequestInput, type FixStrategy, type ToolCommand } from '../core/fix-plan';
import { toolSettingsFor } from '../core/tool-settings';
import { verifyFix } from '../core/fix-verify';
import { EnvlensError } from '../shared/errors';
import { FIX_JOURNAL_SCHEMA, type FixApplyResult, type FixJournalEntry, type FixJournalFile, type FixJournalTool, type FixUndoResult, type PreviewedFileInfo } from '../shared/fix';
import type { ContextId, Snapshot, ToolId } from '../shared/model';
import type { FixJournal } from './fix-journal';
import { HostFsError, shellQuote, type HostFs, type HostStat, type RemoteSession } from './remote-session';

/** A file as the preview read it, contents included. */
export interface PreviewedFile extends PreviewedFileInfo {
  /** home + path (the link itself, for a symlink). */
  absolute: string;
  content: Uint8Array | null;
  uid?: number;
  gid?: number;
}

/** What {@link previewFix} found: the account, its files and tools, and the capture before. */
export interface FixPreview {
  target: string;
  user: string;
  host: string;
  port: number;
  home: string;
  /** The home directory with symlinks resolved; every file written must be under it. */
  realHome: string;
  uid: number;
  files: PreviewedFile[];
  tools: { go: boolean; goEnvFile?: string; paths?: Partial<Record<ToolId, string>> };
  /** The capture the plan is based on. */
  snapshot: Snapshot;
}

/** Steps of {@link applyFixPlan}, reported to `onStep` (where tests inject faults). */
export type ApplyStep = 'checked' | 'journaled' | 'temp-written' | 'syntax-checked' | 'backed-up' | 'before-rename' | 'renamed' | 'applied';

/** Options of {@link applyFixPlan}. */
export interface ApplyOptions {
  journal: FixJournal;
  /** Strategy to apply. Default: the plan's default strategy. */
  strategyId?: string;
  /** Capture again and compare. Default true. */
  verify?: boolean;
  /** Called at each step, awaited. */
  onStep?: (step: ApplyStep, detail: { path?: string }) => void | Promise<void>;
  /** Clock, for tests. */
  now?: () => Date;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const tilde = (path: string): string => `~/${path}`;
const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** Run `command` on the host and return only what it printed between two random markers (startup files may print too). */
async function execFramed(session: RemoteSession, command: string, timeoutMs = 30_000): Promise<{ code: number | null; out: string; stderr: string; timedOut: boolean }> {
  const mark = `ENVLENS-${randomBytes(8).toString('hex')}`;
  // Through sh whatever the login shell is (zsh does not split words, fish is not sh).
  const inner = `printf '\\n%s\\n' ${mark}; ${command}; rc=$?; printf '\\n%s\\n' ${mark}; exit $rc`;
  const res = await session.exec(`sh -c ${shellQuote(inner)}`, { timeoutMs });
  const parts = res.stdout.split(`\n${mark}\n`);
  return { code: res.code, out: parts.length >= 3 ? (parts[1] ?? '') : '', stderr: res.stderr, timedOut: res.timedOut };
}

function homeOf(snapshot: Snapshot): string | undefined {
  const order: ContextId[] = ['ssh-command', 'login', 'bash-interactive', 'login-interactive', 'zsh', 'vscode-resolved'];
  for (const id of order) {
    const home = snapshot.contexts[id]?.env?.HOME;
    if (home && home.startsWith('/')) return home.replace(/\/+$/, '') || '/';
  }
  return undefined;
}

async function previewOne(fs: HostFs, home: string, realHome: string, uid: number, path: string): Promise<PreviewedFile> {
  const absolute = `${home}/${path}`;
  const display = tilde(path);
  const out: PreviewedFile = { path, display, absolute, real: absolute, symlink: false, exists: false, content: null };
  const link = await fs.lstat(absolute);
  if (!link) {
    // A new file: the nearest existing directory above it decides where it would land.
    let dir = posix.dirname(absolute);
    while (dir !== '/' && !(await fs.lstat(dir))) dir = posix.dirname(dir);
    const realDir = await fs.realpath(dir);
    out.real = posix.join(realDir, absolute.slice(dir.length));
    if (!inside(out.real, realHome)) out.locked = `would be created outside the home directory (at ${out.real})`;
    return out;
  }
  out.exists = true;
  let st: HostStat | undefined = link;
  if (link.type === 'symlink') {
    out.symlink = true;
    try {
      out.real = await fs.realpath(absolute);
      st = await fs.stat(out.real);
    } catch {
      st = undefined;
    }
    if (!st) {
      out.locked = 'a symlink to nothing (dangling)';
      return out;
    }
  } else {
    out.real = posix.join(await fs.realpath(posix.dirname(absolute)), posix.basename(absolute));
  }
  out.mode = st.mode;
  out.uid = st.uid;
  out.gid = st.gid;
  out.mtime = st.mtime;
  out.size = st.size;
  if (st.type !== 'file') out.locked = `not a regular file (a ${st.type === 'dir' ? 'directory' : st.type})`;
  else if (!inside(out.real, realHome)) out.locked = `${out.symlink ? 'a symlink to' : 'at'} ${out.real}, outside the home directory ${realHome}`;
  else if (st.uid !== uid) out.locked = `owned by uid ${st.uid}, not by the account (uid ${uid})`;
  if (st.type === 'file') {
    try {
      out.content = await fs.readFile(out.real);
      out.sha256 = sha256(out.content);
    } catch (error) {
      out.locked ??= `not readable (${(error as Error).message})`;
    }
  }
  return out;
}

/**
 * Read everything a plan needs from the host: the home directory, the candidate files,
 * whether `go` is there (only when a Go setting is being fixed).
 */
export async function previewFix(session: RemoteSession, snapshot: Snapshot, variables: readonly string[] = []): Promise<FixPreview> {
  const fs = await session.fs();
  const home = homeOf(snapshot) ?? (await fs.realpath('.'));
  const realHome = await fs.realpath(home).catch(() => home);
  const homeStat = await fs.stat(home);
  const uid = snapshot.host.uid ?? homeStat?.uid;
  if (uid === undefined) throw new EnvlensError('probe', `cannot tell which uid ${session.user} has on the host`);
  const tools: FixPreview['tools'] = { go: false };
  const wanted = [...new Set(variables.flatMap((v) => toolSettingsFor(v).map((s) => s.tool)))].filter((t) => t !== 'go');
  if (wanted.length) {
    // Where each tool is on the PATH of the exec shell (ssh-command): pip may be pip3.
    const names = wanted.flatMap((t) => (t === 'pip' ? ['pip', 'pip3'] : [t]));
    const res = await execFramed(session, names.map((n) => `p=$(command -v ${n} 2>/dev/null) && printf '%s=%s\\n' ${n} "$p"`).join('; ') + '; true', 20_000);
    const paths: Partial<Record<ToolId, string>> = {};
    for (const line of res.out.split('\n')) {
      const m = /^(git|npm|pip|pip3)=(\/.*)$/.exec(line);
      if (!m) continue;
      const tool = (m[1] === 'pip3' ? 'pip' : m[1]) as ToolId;
      paths[tool] ??= m[2]!;
    }
    tools.paths = paths;
  }
  if (variables.some((v) => GO_ENV_VARIABLES.has(v))) {
    const res = await execFramed(session, 'command -v go >/dev/null 2>&1 && go env GOENV', 20_000);
    const file = res.out.trim();
    if (res.code === 0 && file.startsWith('/') && inside(file, home)) {
      tools.go = true;
      tools.goEnvFile = file.slice(home.length + 1);
    } else if (res.code === 0 && file !== '') {
      tools.go = true;
    }
    if (tools.go) {
      const where = await execFramed(session, 'command -v go', 20_000);
      const path = where.out.trim();
      if (path.startsWith('/')) tools.paths = { ...tools.paths, go: path };
    }
  }
  const files: PreviewedFile[] = [];
  for (const path of fixCandidateFiles(tools.goEnvFile)) files.push(await previewOne(fs, home, realHome, uid, path));
  return { target: session.target, user: session.user, host: session.host, port: session.port, home, realHome, uid, files, tools, snapshot };
}

/** The planner's view of a preview: file texts (lossless: non-UTF-8 bytes kept as escapes) and locks. */
export function previewTexts(preview: FixPreview): { files: Record<string, string | null>; locked: Record<string, string> } {
  const files: Record<string, string | null> = {};
  const locked: Record<string, string> = {};
  for (const f of preview.files) {
    files[f.path] = f.content ? decodeUtf8(f.content).text : null;
    if (f.locked) locked[f.path] = f.locked;
  }
  return { files, locked };
}

/**
 * Resolve a request against the preview and plan it. Throws a `usage` error when the
 * value cannot be chosen (the candidates are in the message).
 */
export function planFromPreview(preview: FixPreview, request: FixRequestInput): FixPlan {
  const { files, locked } = previewTexts(preview);
  const resolved = resolveFixRequest(preview.snapshot, request, files);
  if (!resolved.ok) {
    const candidates = resolved.candidates?.map((c) => `  ${JSON.stringify(c.value)}: ${c.where.join(', ')}`).join('\n');
    throw new EnvlensError('usage', `${resolved.problem}${candidates ? `:\n${candidates}` : ''}`, 'Pass --value VALUE (or --remove).');
  }
  return planFix({
    snapshot: preview.snapshot,
    home: preview.home,
    variable: resolved.variable,
    assignments: resolved.assignments,
    contexts: resolved.contexts,
    files,
    locked,
    tools: { go: preview.tools.go, ...(preview.tools.goEnvFile ? { goEnvFile: preview.tools.goEnvFile } : {}), ...(preview.tools.paths ? { paths: preview.tools.paths } : {}) },
  });
}

/** The contexts a preview capture needs for `contexts`: they, plus what they start from. */
export function contextsToCapture(contexts: readonly ContextId[]): ContextId[] {
  const set = new Set<ContextId>(contexts);
  set.add('ssh-command');
  if (set.has('vscode-exthost')) set.add('vscode-resolved');
  return [...set];
}

/** What changed about a file since it was previewed, or undefined when it is the same. */
async function changedSince(fs: HostFs, file: PreviewedFile): Promise<string | undefined> {
  const link = await fs.lstat(file.absolute);
  if (!link) return file.exists ? 'was removed' : undefined;
  if (!file.exists) return 'was created';
  if ((link.type === 'symlink') !== file.symlink) return file.symlink ? 'is no longer a symlink' : 'became a symlink';
  if (file.symlink) {
    const real = await fs.realpath(file.absolute).catch(() => '');
    if (real !== file.real) return `now points to ${real || 'nothing'} (was ${file.real})`;
  }
  const st = await fs.stat(file.real);
  if (!st) return 'was removed';
  const content = await fs.readFile(file.real);
  const hash = sha256(content);
  if (hash !== file.sha256) return `was modified (${file.size} → ${st.size} bytes, mtime ${iso(file.mtime)} → ${iso(st.mtime)})`;
  if (st.mtime !== file.mtime || st.size !== file.size) return `was touched (mtime ${iso(file.mtime)} → ${iso(st.mtime)})`;
  return undefined;
}

const iso = (sec: number | undefined): string => (sec === undefined ? '?' : new Date(sec * 1000).toISOString());

function tempName(real: string): string {
  const base = posix.basename(real);
  return posix.join(posix.dirname(real), `${base.startsWith('.') ? '' : '.'}${base}.envlens-tmp-${randomBytes(6).toString('hex')}`);
}

/** Remove temp files a cut-short apply left beside `real` (ours by name, the account's, regular files). */
async function cleanStaleTemps(fs: HostFs, real: string, uid: number): Promise<string[]> {
  const dir = posix.dirname(real);
  const base = posix.basename(real);
  const re = new RegExp(`^${base.startsWith('.') ? '' : '\\.'}${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.envlens-tmp-[0-9a-f]{12}$`);
  const removed: string[] = [];
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!re.test(name)) continue;
    const path = posix.join(dir, name);
    const st = await fs.lstat(path);
    if (st?.type !== 'file' || st.uid !== uid) continue;
    await fs.unlink(path).then(
      () => removed.push(path),
      () => {},
    );
  }
  return removed;
}

const SHELL_OF: Partial<Record<FileSyntax, string>> = { bash: 'bash', zsh: 'zsh', sh: 'sh' };

/** Check a shell file's syntax on the host; returns the problem, or undefined when it parses. */
async function syntaxProblem(session: RemoteSession, syntax: FileSyntax, path: string, shownAs: string): Promise<string | undefined> {
  const shell = SHELL_OF[syntax];
  if (!shell) return undefined;
  const res = await execFramed(session, `${shell} -n ${shellQuote(path)}`, 20_000);
  if (res.timedOut) return `\`${shell} -n\` did not finish in time`;
  if (res.code === 0) return undefined;
  const lines = res.stderr.split('\n').filter((l) => l.includes(path)).map((l) => l.split(path).join(shownAs));
  return lines.join('; ') || `\`${shell} -n\` exited with ${res.code}`;
}

async function ensureDirs(fs: HostFs, home: string, relDir: string): Promise<string[]> {
  const created: string[] = [];
  if (relDir === '.' || relDir === '') return created;
  let current = home;
  let rel = '';
  for (const part of relDir.split('/')) {
    current = `${current}/${part}`;
    rel = rel ? `${rel}/${part}` : part;
    const st = await fs.stat(current);
    if (st && st.type !== 'dir') throw new EnvlensError('fix-refused', `${tilde(rel)} is not a directory`, 'Nothing was written.');
    if (!st) {
      await fs.mkdir(current, 0o700);
      created.push(rel);
    }
  }
  return created;
}

/** A host-side failure as a person should read it. */
function describeFsError(error: unknown, action: string): EnvlensError {
  if (error instanceof EnvlensError) return error;
  if (error instanceof HostFsError) {
    if (error.code === 'EACCES') {
      return new EnvlensError('io', `cannot ${action}: ${error.message}`, 'The account cannot write there (a read-only or root-owned home directory?). Nothing was changed.');
    }
    if (error.code === 'ECONNRESET') return new EnvlensError('io', `the connection was lost while trying to ${action}: ${error.message}`);
    return new EnvlensError('io', `cannot ${action}: ${error.message}`);
  }
  return new EnvlensError('io', `cannot ${action}: ${(error as Error).message}`);
}

interface Write {
  index: number;
  file: PreviewedFile;
  after: Uint8Array | null;
  syntax: FileSyntax;
  temp?: string;
  display: string;
}

/**
 * Apply one strategy of `plan` (previewed as `preview`) on the host, then verify.
 *
 * Refuses (kind `fix-refused`, nothing written) when a file changed since the preview, is
 * locked, or its new content fails the syntax check. Resolves with the journal id,
 * backups and the verification.
 */
export async function applyFixPlan(session: RemoteSession, preview: FixPreview, plan: FixPlan, options: ApplyOptions): Promise<FixApplyResult> {
  const step = options.onStep ?? (() => {});
  const now = options.now ?? (() => new Date());
  const strategy = pickStrategy(plan, options.strategyId);
  const fs = await session.fs();
  const writes: Write[] = strategy.edits.map((edit, index) => {
    const file = preview.files.find((f) => f.path === edit.path);
    if (!file) throw new EnvlensError('internal', `the plan edits ${edit.display}, which the preview did not read`);
    if (file.locked) throw new EnvlensError('fix-refused', `${edit.display} is ${file.locked}: envlens will not edit it`, 'Nothing was written. Choose another strategy (--strategy) or change the file by hand.');
    return { index, file, after: edit.after === null ? null : utf8Encode(edit.after), syntax: edit.syntax, display: edit.display };
  });

  // 1. Nothing may have changed since the preview.
  const changed: string[] = [];
  for (const w of writes) {
    const what = await changedSince(fs, w.file).catch((error: unknown) => `cannot be read again (${(error as Error).message})`);
    if (what) changed.push(`${w.display} ${what}`);
  }
  if (changed.length) {
    throw new EnvlensError('fix-refused', `${changed.join('; ')} since the preview: nothing was written`, 'Someone or something edited the file meanwhile. Run the preview again (envlens fix --dry-run) and review the new diff.');
  }
  await step('checked', {});

  // 2. The journal entry, before anything on the host changes.
  const journal = options.journal;
  const id = journal.newId(now());
  const entry: FixJournalEntry = {
    schema: FIX_JOURNAL_SCHEMA,
    id,
    createdAt: now().toISOString(),
    status: 'pending',
    target: preview.target,
    host: preview.host,
    port: preview.port,
    user: preview.user,
    home: preview.home,
    variable: plan.variable,
    assignments: plan.assignments,
    contexts: plan.contexts,
    strategy: strategy.id,
    files: writes.map((w): FixJournalFile => {
      const f: FixJournalFile = { path: w.file.path, real: w.file.real, existed: w.file.exists };
      if (w.file.content) {
        f.originalBase64 = Buffer.from(w.file.content).toString('base64');
        f.originalSha256 = sha256(w.file.content);
      }
      if (w.file.mode !== undefined) f.mode = w.file.mode;
      if (w.file.uid !== undefined) f.uid = w.file.uid;
      if (w.file.gid !== undefined) f.gid = w.file.gid;
      if (w.after) f.newSha256 = sha256(w.after);
      else f.deleted = true;
      return f;
    }),
    createdDirs: [],
  };
  const commands = strategy.commands ?? [];
  if (commands.length) {
    try {
      entry.tools = [];
      for (const c of commands) entry.tools.push(await journalTool(session, c, preview.realHome));
    } catch (error) {
      throw describeFsError(error, `read the current ${commands.map((c) => `${c.tool} ${c.setting}`).join(', ')}`);
    }
  }
  const journalFile = await journal.write(entry);
  await step('journaled', {});
  const notes: string[] = [];

  // 3. Temp files, syntax check, backups; any failure here leaves the host as it was.
  const backups: string[] = [];
  try {
    for (const w of writes) {
      if (!w.after) continue;
      if (!w.file.exists) {
        const rel = posix.dirname(w.file.path);
        entry.createdDirs.push(...(await ensureDirs(fs, preview.home, rel)));
      }
      const stale = await cleanStaleTemps(fs, w.file.real, preview.uid);
      if (stale.length) notes.push(`removed ${stale.length} temp file(s) an interrupted fix left beside ${w.display}`);
      w.temp = tempName(w.file.real);
      const owner = w.file.uid !== undefined && w.file.gid !== undefined ? { uid: w.file.uid, gid: w.file.gid } : undefined;
      const { synced } = await fs.writeNew(w.temp, w.after, w.file.mode ?? 0o644, owner);
      if (!synced) notes.push(`the SFTP server has no fsync@openssh.com: ${w.display} was not flushed to disk before the rename`);
      if (owner) {
        const st = await fs.stat(w.temp);
        if (st && st.gid !== owner.gid) notes.push(`${w.display}: its group (gid ${owner.gid}) could not be kept; it is now gid ${st.gid}`);
      }
    }
    if (entry.createdDirs.length) await journal.write(entry);
    await step('temp-written', {});
    for (const w of writes) {
      if (!w.temp || !isShell(w.syntax)) continue;
      const problem = await syntaxProblem(session, w.syntax, w.temp, w.display);
      if (!problem) continue;
      const already = w.file.exists ? await syntaxProblem(session, w.syntax, w.file.real, w.display) : undefined;
      throw new EnvlensError(
        'fix-refused',
        `the new ${w.display} fails \`${SHELL_OF[w.syntax]} -n\`: ${problem}${already ? ` (the file already fails it before the fix: ${already})` : ''}; nothing was written`,
        already ? `Fix the syntax error in ${w.display} first; envlens will not write a file that does not parse.` : 'This is a bug in envlens’ edit; please report it with the --dry-run output.',
      );
    }
    await step('syntax-checked', {});
    for (const w of writes) {
      if (!w.file.exists || !w.file.content) continue;
      const backup = `${w.file.real}.envlens-backup-${id}`;
      await fs.writeNew(backup, w.file.content, w.file.mode ?? 0o600, w.file.uid !== undefined && w.file.gid !== undefined ? { uid: w.file.uid, gid: w.file.gid } : undefined);
      backups.push(backup);
      entry.files[w.index]!.backup = backup;
    }
    await journal.write(entry);
    await step('backed-up', {});
    // The tool's own command: it validates the value; a refusal stops here, before any rename.
    for (const t of entry.tools ?? []) {
      await runToolCommand(session, t.tool, toolSetArgv(t.tool, t.exe, t.setting, t.value));
      t.applied = true;
      if (t.file) t.fileAfterSha256 = await hashOf(fs, t.file);
      await journal.write(entry);
    }
  } catch (error) {
    for (const t of entry.tools ?? []) if (t.applied) await undoTool(session, t, preview.realHome, preview.uid, notes).catch(() => {});
    for (const path of [...writes.map((w) => w.temp), ...backups]) if (path) await fs.unlink(path).catch(() => {});
    for (const dir of [...entry.createdDirs].reverse()) await fs.rmdir(`${preview.home}/${dir}`).catch(() => {});
    await journal.remove(id);
    throw describeFsError(error, 'prepare the new files');
  }

  // 4. The renames: the only step that changes what shells read.
  const done: Write[] = [];
  try {
    for (const w of writes) {
      await step('before-rename', { path: w.file.path });
      const what = await changedSince(fs, w.file);
      if (what) throw new EnvlensError('fix-refused', `${w.display} ${what} while the fix was being applied`, 'The files already replaced were put back. Run the preview again.');
      if (w.temp) await fs.rename(w.temp, w.file.real);
      else await fs.unlink(w.file.real);
      entry.files[w.index]!.written = true;
      done.push(w);
      await step('renamed', { path: w.file.path });
    }
  } catch (error) {
    const rollback = await rollBack(fs, done, preview.uid);
    for (const t of entry.tools ?? []) {
      if (!t.applied) continue;
      try {
        await undoTool(session, t, preview.realHome, preview.uid, notes);
        t.applied = false;
      } catch {
        rollback.push(`${t.tool} ${t.setting}`);
      }
    }
    for (const w of writes) if (w.temp && !done.includes(w)) await fs.unlink(w.temp).catch(() => {});
    entry.status = 'failed';
    entry.error = `${(error as Error).message}${rollback.length ? `; could not put back: ${rollback.join(', ')}` : ''}`;
    if (rollback.length === 0) for (const f of entry.files) f.written = false;
    await journal.write(entry).catch(() => {});
    const described = describeFsError(error, 'replace the files');
    if (done.length === 0) {
      throw new EnvlensError(described.kind, `${described.message}; nothing was replaced, ${writes.map((w) => w.display).join(', ')} ${writes.length > 1 ? 'are' : 'is'} as before`, 'A temp file or backup may be left beside it; the next fix or `--undo ' + id + '` removes them.');
    }
    if (rollback.length) {
      throw new EnvlensError(described.kind, `${described.message}; the files already replaced could not be put back (${rollback.join(', ')})`, `Undo with: envlens fix ${preview.target} --undo ${id} (the journal has the original bytes).`);
    }
    throw described;
  }
  entry.status = 'applied';
  await journal.write(entry);
  await step('applied', {});

  // 5. Capture again on the same connection and compare.
  const result: FixApplyResult = {
    fixId: id,
    journalFile,
    strategy: strategy.id,
    files: writes.map((w) => ({ path: w.file.path, real: w.file.real, created: !w.file.exists, deleted: w.after === null, ...(entry.files[w.index]?.backup ? { backup: entry.files[w.index]!.backup! } : {}) })),
    notes,
  };
  if (entry.tools?.length) result.tools = entry.tools.map((t) => ({ tool: t.tool, setting: t.setting, command: commandLine(toolSetArgv(t.tool, t.exe, t.setting, t.value)), previous: t.previous }));
  if (options.verify !== false) {
    const after = await session.capture({ contexts: contextsToCapture(plan.contexts), trace: false, onEvent: () => {} });
    result.verification = verifyFix(plan, preview.snapshot, after, strategy.id);
    if (entry.tools?.length) {
      result.verification.toolChecks = [];
      for (const t of entry.tools) {
        const back = await readToolState(session, t.tool, t.exe, t.setting);
        const argv = t.tool === 'go' ? [t.exe, 'env', t.setting] : t.tool === 'git' ? [t.exe, 'config', '--global', '--get', t.setting] : t.tool === 'npm' ? [t.exe, 'config', 'get', t.setting] : [t.exe, 'config', '--user', 'get', `global.${t.setting}`];
        const ok = back.value === t.value;
        result.verification.toolChecks.push({ tool: t.tool, setting: t.setting, command: commandLine(argv), expected: t.value, value: back.value, ok });
        if (!ok) result.verification.verified = false;
      }
    }
    entry.verified = result.verification.verified;
    await journal.write(entry);
  }
  return result;
}

/** Where a tool keeps the account's own config (the file its user-level set command writes), as a sh snippet printing the path. */
function toolConfigPathScript(tool: ToolId, exe: string): string {
  const q = shellQuote(exe);
  switch (tool) {
    case 'go':
      return `${q} env GOENV`;
    case 'git':
      return 'x=${XDG_CONFIG_HOME:-$HOME/.config}/git/config; if [ -f "$HOME/.gitconfig" ] || [ ! -f "$x" ]; then printf "%s\\n" "$HOME/.gitconfig"; else printf "%s\\n" "$x"; fi';
    case 'npm':
      return `${q} config get userconfig`;
    case 'pip':
      return 'if [ -f "$HOME/.pip/pip.conf" ]; then printf "%s\\n" "$HOME/.pip/pip.conf"; else printf "%s\\n" "${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf"; fi';
  }
}

/** The last `name=value` line of an ini-like or go env file (`key = value` for npm). */
function lastAssignment(text: string, name: string, spaced: boolean): string | null {
  let value: string | null = null;
  for (const line of text.split('\n')) {
    if (spaced) {
      const m = /^\s*([^=\s]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && m[1] === name) value = m[2] ?? '';
    } else if (line.startsWith(`${name}=`)) value = line.slice(name.length + 1);
  }
  return value;
}

/** What the tool's own user config holds for a setting now, and the file it lives in. */
async function readToolState(session: RemoteSession, tool: ToolId, exe: string, setting: string): Promise<{ value: string | null; file?: string; bytes: Uint8Array | null }> {
  const fs = await session.fs();
  const where = await execFramed(session, toolConfigPathScript(tool, exe), 30_000);
  const file = where.code === 0 ? where.out.trim() : '';
  let bytes: Uint8Array | null = null;
  if (file.startsWith('/')) {
    const st = await fs.stat(file);
    if (st?.type === 'file') bytes = await fs.readFile(file);
  }
  const text = bytes ? decodeUtf8(bytes).text : '';
  let value: string | null;
  if (tool === 'go') value = lastAssignment(text, setting, false);
  else if (tool === 'npm') value = lastAssignment(text, setting, true);
  else {
    const argv = tool === 'git' ? [exe, 'config', '--global', '--get', setting] : [exe, 'config', '--user', 'get', `global.${setting}`];
    const res = await execFramed(session, `${commandLine(argv)} 2>&1`, 30_000);
    if (res.code === 0) value = res.out.replace(/\n$/, '');
    else if (res.code === 1) value = null;
    else throw new EnvlensError('io', `could not read ${tool}'s ${setting} (\`${commandLine(argv)}\` exited ${res.code}): ${res.out.trim()}`);
  }
  return { value, ...(file.startsWith('/') ? { file } : {}), bytes };
}

/** Run a tool's own config command; throws `fix-refused` with what the tool said when it refuses. */
async function runToolCommand(session: RemoteSession, tool: ToolId, argv: readonly string[]): Promise<void> {
  const res = await execFramed(session, `${commandLine(argv)} 2>&1`, 60_000);
  if (res.timedOut) throw new EnvlensError('io', `\`${commandLine(argv)}\` did not finish in 60 s`);
  if (res.code !== 0) {
    const said = res.out.trim() || res.stderr.trim() || `exit ${res.code}`;
    throw new EnvlensError('fix-refused', `${tool} refused: ${said}`, `\`${commandLine(argv)}\` failed on the host; nothing else was changed. Check the value (the tool's own validation above).`);
  }
}

/** Journal record of a tool command about to run: the setting's value now and its config file's bytes. */
async function journalTool(session: RemoteSession, command: ToolCommand, home: string): Promise<FixJournalTool> {
  const exe = command.argv[0] ?? command.tool;
  const now = await readToolState(session, command.tool, exe, command.setting);
  const t: FixJournalTool = { tool: command.tool, setting: command.setting, exe, value: command.value, previous: now.value };
  if (now.file) {
    t.file = now.file;
    t.fileExisted = now.bytes !== null;
    t.dirExisted = (await (await session.fs()).stat(posix.dirname(now.file))) !== undefined;
    if (now.bytes && inside(now.file, home)) t.fileOriginalBase64 = Buffer.from(now.bytes).toString('base64');
  }
  return t;
}

/** SHA-256 of a file on the host, or 'absent'. */
async function hashOf(fs: HostFs, path: string): Promise<string> {
  const st = await fs.stat(path);
  return st?.type === 'file' ? sha256(await fs.readFile(path)) : 'absent';
}

/** Put a tool setting back to its journaled previous value with the tool's own command, then its file's exact bytes when nothing else changed it. */
async function undoTool(session: RemoteSession, t: FixJournalTool, home: string, uid: number, notes: string[]): Promise<{ command: string; verified: boolean }> {
  const fs = await session.fs();
  const beforeUndo = t.file ? await hashOf(fs, t.file) : undefined;
  const argv = toolSetArgv(t.tool, t.exe, t.setting, t.previous);
  await runToolCommand(session, t.tool, argv);
  if (t.file && inside(t.file, home) && beforeUndo !== undefined && beforeUndo === t.fileAfterSha256) {
    const original = t.fileOriginalBase64 !== undefined ? new Uint8Array(Buffer.from(t.fileOriginalBase64, 'base64')) : null;
    const now = await hashOf(fs, t.file);
    if (!t.fileExisted && now !== 'absent') {
      const left = decodeUtf8(await fs.readFile(t.file)).text;
      if (/^\s*(\[[^\]]*\]\s*)*$/.test(left)) {
        await fs.unlink(t.file);
        notes.push(`removed ${t.file}: it did not exist before the fix and ${t.tool} left it empty`);
        if (t.dirExisted === false) await fs.rmdir(posix.dirname(t.file)).catch(() => {});
      }
    } else if (original && now !== sha256(original)) {
      const st = await fs.stat(t.file);
      await replaceAtomically(fs, t.file, original, st?.mode ?? 0o644, st ? { uid: st.uid, gid: st.gid } : undefined, uid);
      notes.push(`${t.tool} rewrote ${t.file} in its own layout; its bytes from before the fix were put back`);
    }
  }
  const back = await readToolState(session, t.tool, t.exe, t.setting);
  return { command: commandLine(argv), verified: back.value === t.previous };
}

/** Put back files an apply already replaced; returns those it could not. */
async function rollBack(fs: HostFs, done: readonly Write[], uid: number): Promise<string[]> {
  const failed: string[] = [];
  for (const w of [...done].reverse()) {
    try {
      if (w.file.exists && w.file.content) await replaceAtomically(fs, w.file.real, w.file.content, w.file.mode ?? 0o644, owner(w.file), uid);
      else await fs.unlink(w.file.real);
    } catch {
      failed.push(w.display);
    }
  }
  return failed;
}

function owner(f: { uid?: number; gid?: number }): { uid: number; gid: number } | undefined {
  return f.uid !== undefined && f.gid !== undefined ? { uid: f.uid, gid: f.gid } : undefined;
}

async function replaceAtomically(fs: HostFs, real: string, bytes: Uint8Array, mode: number, own: { uid: number; gid: number } | undefined, uid: number): Promise<void> {
  await cleanStaleTemps(fs, real, uid);
  const temp = tempName(real);
  await fs.writeNew(temp, bytes, mode, own);
  try {
    await fs.rename(temp, real);
  } catch (error) {
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
}

function pickStrategy(plan: FixPlan, id: string | undefined): FixStrategy {
  const wanted = id ?? plan.defaultStrategy;
  if (!wanted) {
    throw new EnvlensError(
      'fix-refused',
      plan.nothingToDo ? `${plan.variable} is already the same in every chosen context: nothing to do` : `no strategy can change ${plan.variable} for this account`,
      plan.nothingToDo ? undefined : 'See the notes of --dry-run.',
    );
  }
  const strategy = plan.strategies.find((s) => s.id === wanted);
  if (!strategy) throw new EnvlensError('usage', `there is no strategy "${wanted}" in this plan`, `Strategies: ${plan.strategies.map((s) => s.id).join(', ') || 'none'}.`);
  return strategy;
}

/** Options of {@link undoFixEntry}. */
export interface UndoOptions {
  journal: FixJournal;
  /** Restore even files that changed since the fix (their later changes are lost). Default false. */
  force?: boolean;
  now?: () => Date;
}

/**
 * Undo a journaled fix: every file back to its exact original bytes (and mode), files
 * the fix created removed, directories it created removed when empty, its backups
 * removed. Refuses (nothing changed) when a file changed since the fix, unless forced.
 */
export async function undoFixEntry(session: RemoteSession, entry: FixJournalEntry, options: UndoOptions): Promise<FixUndoResult> {
  if (entry.status === 'undone') throw new EnvlensError('fix-refused', `fix ${entry.id} was already undone at ${entry.undoneAt ?? '?'}`);
  const fs = await session.fs();
  const uid = (await fs.stat(entry.home))?.uid ?? entry.files.find((f) => f.uid !== undefined)?.uid ?? -1;
  type Plan = { file: FixJournalFile; action: 'restored' | 'removed' | 'unchanged' };
  const plans: Plan[] = [];
  const conflicts: string[] = [];
  for (const file of entry.files) {
    const st = await fs.stat(file.real);
    const now = st ? sha256(await fs.readFile(file.real)) : 'absent';
    const original = file.existed ? (file.originalSha256 ?? '?') : 'absent';
    const applied = file.deleted ? 'absent' : (file.newSha256 ?? '?');
    if (now === original) plans.push({ file, action: 'unchanged' });
    else {
      if (now !== applied) conflicts.push(`${tilde(file.path)} ${now === 'absent' ? 'was removed' : 'was changed'} since the fix`);
      plans.push({ file, action: file.existed ? 'restored' : 'removed' });
    }
  }
  const tools = (entry.tools ?? []).filter((t) => t.applied);
  for (const t of tools) {
    const now = await readToolState(session, t.tool, t.exe, t.setting);
    if (now.value !== t.value && now.value !== t.previous) conflicts.push(`${t.tool}'s ${t.setting} was changed since the fix (it is ${now.value === null ? 'unset' : JSON.stringify(now.value)} now)`);
  }
  if (conflicts.length && !options.force) {
    throw new EnvlensError('fix-refused', `${conflicts.join('; ')}: nothing was undone`, `--force puts back the bytes from before fix ${entry.id} anyway, losing those later changes.`);
  }
  const notes: string[] = [];
  const undoneTools: NonNullable<FixUndoResult['tools']> = [];
  for (const t of tools) {
    const done = await undoTool(session, t, entry.home, uid, notes);
    undoneTools.push({ tool: t.tool, setting: t.setting, command: done.command, restored: t.previous, verified: done.verified });
    if (!done.verified) notes.push(`${t.tool}'s ${t.setting} does not read back as ${t.previous === null ? 'unset' : JSON.stringify(t.previous)} after undo`);
  }
  for (const p of plans) {
    if (p.action === 'restored') {
      const bytes = new Uint8Array(Buffer.from(p.file.originalBase64 ?? '', 'base64'));
      try {
        await replaceAtomically(fs, p.file.real, bytes, p.file.mode ?? 0o644, owner(p.file), uid);
      } catch (error) {
        throw describeFsError(error, `put ${tilde(p.file.path)} back`);
      }
    } else if (p.action === 'removed') {
      await fs.unlink(p.file.real).catch((error: unknown) => {
        if (!(error instanceof HostFsError && error.code === 'ENOENT')) throw describeFsError(error, `remove ${tilde(p.file.path)}`);
      });
    }
    if (p.file.backup) await fs.unlink(p.file.backup).catch(() => {});
    await cleanStaleTemps(fs, p.file.real, uid).catch(() => []);
  }
  for (const dir of [...entry.createdDirs].reverse()) {
    await fs.rmdir(`${entry.home}/${dir}`).catch(() => notes.push(`left ~/${dir} in place (not empty)`));
  }
  entry.status = 'undone';
  entry.undoneAt = (options.now ?? (() => new Date()))().toISOString();
  await options.journal.write(entry);
  return { fixId: entry.id, files: plans.map((p) => ({ path: p.file.path, real: p.file.real, action: p.action })), ...(undoneTools.length ? { tools: undoneTools } : {}), notes };
}

/**
 * Restart the account's VS Code server: kill every `server-main.js` process of the
 * account under ~/.vscode-server* (its extension hosts exit with it). The VS Code client
 * starts a new server on its next connection, which resolves the environment afresh.
 * Resolves with the pids that were killed.
 */
export async function restartVscodeServer(session: RemoteSession): Promise<{ killed: number[] }> {
  const script = [
    'pids=',
    'for f in /proc/[0-9]*/cmdline; do',
    '  d=${f%/cmdline}; [ -O "$d" ] || continue',
    "  cl=$(tr '\\000' ' ' <\"$f\" 2>/dev/null) || continue",
    '  case $cl in *.vscode-server*server-main.js*) ;; *) continue;; esac',
    '  a0=${cl%% *}; case ${a0##*/} in node) ;; *) continue;; esac',
    '  pids="$pids ${d##*/}"',
    'done',
    '[ -n "$pids" ] && kill -TERM $pids 2>/dev/null',
    'i=0; while [ $i -lt 30 ]; do left=; for p in $pids; do [ -d /proc/$p ] && left="$left $p"; done; [ -z "$left" ] && break; sleep 0.1; i=$((i+1)); done',
    '[ -n "$left" ] && kill -KILL $left 2>/dev/null',
    'echo $pids',
  ].join('\n');
  const res = await execFramed(session, script, 20_000);
  if (res.code !== 0 && res.code !== 1) throw new EnvlensError('io', `could not stop the VS Code server: ${res.stderr.trim() || `exit ${res.code}`}`);
  return { killed: res.out.trim().split(/\s+/).filter(Boolean).map(Number) };
}
