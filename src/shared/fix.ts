/**
 * What applying and undoing a fix report: plain data shared by the CLI, the service and
 * the UI contract (the plan itself is `FixPlan` in src/core/fix-plan.ts).
 *
 * The journal format (`envlens.fix-journal/v1`) is what makes undo exact: it keeps the
 * original bytes of every file a fix changed, so undo works even when the backup beside
 * the file on the host is gone.
 */

import type { FixAssignment } from '../core/fix-plan';
import type { ContextId, ToolId } from './model';

/**
 * A tool setting a tool-native fix changed (`go env -w`, `git config --global`…), as the
 * journal records it: undo runs the tool's own command to put `previous` back (or unset
 * it), and puts the tool's config file back byte for byte when nothing else touched it.
 */
export interface FixJournalTool {
  tool: ToolId;
  /** The setting as tool views name it (`GOPROXY`, `http.proxy`). */
  setting: string;
  /** The executable that ran (`/usr/bin/go`). */
  exe: string;
  /** What the fix set; null when it unset it. */
  value: string | null;
  /** The setting in the tool's own user config before the fix; null when it was not set there. */
  previous: string | null;
  /** The config file the tool writes (GOENV, ~/.gitconfig, ~/.npmrc, pip.conf), absolute. */
  file?: string;
  fileExisted?: boolean;
  /** Whether the file's directory existed before the fix (the tool may create it). */
  dirExisted?: boolean;
  /** Its bytes before the fix (base64), when it existed and is in the home directory. */
  fileOriginalBase64?: string;
  /** SHA-256 of its bytes right after the fix ('absent' when there was no file). */
  fileAfterSha256?: string;
  /** The command ran and succeeded. */
  applied?: boolean;
}

/** Schema tag of a journal entry. */
export const FIX_JOURNAL_SCHEMA = 'envlens.fix-journal/v1' as const;

/** One file a fix changed, as the journal records it. */
export interface FixJournalFile {
  /** Relative to the home directory, e.g. `.bashrc`. */
  path: string;
  /** The file written: symlinks resolved (absolute). */
  real: string;
  /** The file existed before the fix. */
  existed: boolean;
  /** Its bytes before the fix (base64), when it existed. */
  originalBase64?: string;
  originalSha256?: string;
  /** Permission bits, owner and group before the fix. */
  mode?: number;
  uid?: number;
  gid?: number;
  /** SHA-256 of the bytes the fix wrote; absent when the fix deleted the file. */
  newSha256?: string;
  /** The fix deleted the file. */
  deleted?: boolean;
  /** Copy of the original beside it on the host (absent for files that did not exist). */
  backup?: string;
  /** The rename (or delete) of this file happened. */
  written?: boolean;
}

/** Where a fix is in its life. */
export type FixStatus = 'pending' | 'applied' | 'failed' | 'undone';

/** One journal entry: everything needed to undo a fix exactly. */
export interface FixJournalEntry {
  schema: typeof FIX_JOURNAL_SCHEMA;
  /** Sortable: `20261125T140000Z-1a2b3c`. */
  id: string;
  createdAt: string;
  status: FixStatus;
  /** The target as given (`elfix@127.0.0.1:22022`, an alias…). */
  target: string;
  host: string;
  port: number;
  user: string;
  /** The account's home directory on the host. */
  home: string;
  variable: string;
  assignments: FixAssignment[];
  contexts: ContextId[];
  strategy: string;
  files: FixJournalFile[];
  /** Tool settings a tool-native strategy changed. */
  tools?: FixJournalTool[];
  /** Directories the fix created (relative to home), deepest last. */
  createdDirs: string[];
  /** Whether capturing again showed every chosen context right. */
  verified?: boolean;
  undoneAt?: string;
  /** What went wrong, when status is `failed`. */
  error?: string;
}

/** A journal entry without the file contents, for lists. */
export interface FixSummary {
  id: string;
  createdAt: string;
  status: FixStatus;
  target: string;
  user: string;
  host: string;
  port: number;
  variable: string;
  strategy: string;
  files: string[];
  /** Tool settings a tool-native fix changed, as `go GOPROXY`. */
  tools?: string[];
  verified?: boolean;
  undoneAt?: string;
}

/** How one context came out when captured again after a fix. */
export interface VerifiedContext {
  context: ContextId;
  /** The person asked for this context. */
  chosen: boolean;
  /**
   * - `ok`: it sees the target now;
   * - `mismatch`: it does not;
   * - `restart-needed`: a long-running process (VS Code server, systemd user manager) that keeps its old environment until restarted;
   * - `unavailable`: not captured.
   */
  status: 'ok' | 'mismatch' | 'restart-needed' | 'unavailable';
  /** Per variable: the target (null: unset), what it had before and what it has now. */
  expected: Record<string, string | null>;
  before?: Record<string, string | null>;
  after?: Record<string, string | null>;
  note?: string;
  /** Tool-native fixes: what the tool resolves there now (from the capture's tool views). */
  tool?: { tool: ToolId; setting: string; expected: string | null; value?: string | null; origin?: string };
}

/** The check after applying: a fresh capture compared with the targets. */
export interface FixVerification {
  /** Every chosen context that can change now shows the target. */
  verified: boolean;
  capturedAt: string;
  contexts: VerifiedContext[];
  /** Tool-native fixes: the setting read back with the tool's own command on the host. */
  toolChecks?: { tool: ToolId; setting: string; command: string; expected: string | null; value: string | null; ok: boolean }[];
}

/** One file as the preview found it (no contents). */
export interface PreviewedFileInfo {
  path: string;
  /** `~/.bashrc`. */
  display: string;
  /** The file a write would go to (symlinks resolved). */
  real: string;
  symlink: boolean;
  exists: boolean;
  sha256?: string;
  /** Modification time, seconds since the epoch. */
  mtime?: number;
  size?: number;
  mode?: number;
  /** Why envlens will not edit it (not owned by the account, outside the home, not a regular file). */
  locked?: string;
}

/** What applying a fix did. */
export interface FixApplyResult {
  fixId: string;
  /** The local journal entry (undo data). */
  journalFile: string;
  strategy: string;
  files: { path: string; real: string; created: boolean; deleted: boolean; backup?: string }[];
  /** Tool commands that ran, with the value they replaced (null: not set before). */
  tools?: { tool: ToolId; setting: string; command: string; previous: string | null }[];
  /** Absent when verification was skipped. */
  verification?: FixVerification;
  notes: string[];
}

/** What undoing a fix did. */
export interface FixUndoResult {
  fixId: string;
  /** Files put back byte for byte, removed (they did not exist before), or already as before. */
  files: { path: string; real: string; action: 'restored' | 'removed' | 'unchanged' }[];
  /** Tool settings put back with the tool's own command, and whether reading them back showed the old value. */
  tools?: { tool: ToolId; setting: string; command: string; restored: string | null; verified: boolean }[];
  notes: string[];
}
