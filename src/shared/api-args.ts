/**
 * Checking the arguments of contract calls that arrive from outside the process.
 *
 * The IPC handlers (src/main) and the HTTP routes (src/server) both receive calls from
 * a page, which is less trusted than the service it reaches: a compromised or buggy
 * renderer could send anything structured clone or JSON can carry. Each method's
 * signature is written here once, as data, next to the contract; the `Record` over
 * {@link ApiMethod} makes the compiler refuse a method without one. Extra arguments,
 * missing ones, wrong types and unknown object keys are all refused.
 */

import { EnvlensError } from './errors';
import { isContextId } from './model';
import type { ApiMethod } from './api';

/** A check of one value; returns what is wrong with it, or undefined when it is fine. */
type Check = (value: unknown, where: string) => string | undefined;

/** Largest snapshot JSON accepted by `importSnapshot` (characters). */
export const MAX_IMPORT_CHARS = 32 * 1024 * 1024;

const string =
  (max: number, nonEmpty = true): Check =>
  (v, where) =>
    typeof v !== 'string'
      ? `${where} must be a string`
      : nonEmpty && v.length === 0
        ? `${where} must not be empty`
        : v.length > max
          ? `${where} is longer than ${max} characters`
          : undefined;

const boolean: Check = (v, where) => (typeof v === 'boolean' ? undefined : `${where} must be true or false`);

const seconds: Check = (v, where) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 3600 ? undefined : `${where} must be a number of seconds between 0 and 3600`);

const arrayOf =
  (item: Check, max: number): Check =>
  (v, where) => {
    if (!Array.isArray(v)) return `${where} must be an array`;
    if (v.length > max) return `${where} has more than ${max} items`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${where}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const contextId: Check = (v, where) => (typeof v === 'string' && isContextId(v) ? undefined : `${where} is not a known context id`);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A plain object with exactly these keys; keys marked optional may be absent or undefined. */
const object =
  (shape: Record<string, { check: Check; optional?: boolean }>): Check =>
  (v, where) => {
    if (!isPlainObject(v)) return `${where} must be an object`;
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(shape, key)) return `${where} has an unknown key "${key}"`;
    }
    for (const [key, field] of Object.entries(shape)) {
      const value = v[key];
      if (value === undefined) {
        if (field.optional) continue;
        return `${where}.${key} is missing`;
      }
      const problem = field.check(value, `${where}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const optional = (check: Check): { check: Check; optional: true } => ({ check, optional: true });

const id = string(200);
const path = string(4096);

const captureRequest = object({
  target: { check: string(1024) },
  contexts: optional(arrayOf(contextId, 32)),
  trace: optional(boolean),
  workspace: optional(path),
  timeoutSec: optional(seconds),
  connectTimeoutSec: optional(seconds),
  acceptNew: optional(boolean),
  identities: optional(arrayOf(path, 32)),
  knownHostsFile: optional(path),
});

const positiveInt =
  (max: number): Check =>
  (v, where) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max ? undefined : `${where} must be a whole number from 1 to ${max}`;

/** Largest number of targets in one fleet request. */
export const MAX_FLEET_TARGETS = 10_000;

const fleetRequest = object({
  targets: { check: arrayOf(string(1024), MAX_FLEET_TARGETS) },
  contexts: optional(arrayOf(contextId, 32)),
  baseline: optional(string(1024)),
  parallel: optional(positiveInt(256)),
  deadlineSec: optional(seconds),
  timeoutSec: optional(seconds),
  connectTimeoutSec: optional(seconds),
  acceptNew: optional(boolean),
  identities: optional(arrayOf(path, 32)),
  knownHostsFile: optional(path),
});

const promptAnswer = object({
  accept: optional(boolean),
  secret: optional(string(64 * 1024, false)),
});

const exportOptions = object({ redact: optional(boolean) });

/** Largest number of snapshots in one report. */
export const MAX_REPORT_SNAPSHOTS = 1000;

const snapshotIds: Check = (v, where) => arrayOf(id, MAX_REPORT_SNAPSHOTS)(v, where) ?? (Array.isArray(v) && v.length === 0 ? `${where} must name at least one snapshot` : undefined);
const reportOptions = object({ redact: optional(boolean), title: optional(string(300, false)) });

const variableName: Check = (v, where) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,255}$/.test(v) ? undefined : `${where} must be a variable name`);

const fixRequest = object({
  target: { check: string(1024) },
  variable: { check: variableName },
  value: optional(string(128 * 1024, false)),
  remove: optional(boolean),
  contexts: optional(arrayOf(contextId, 32)),
  bothCases: optional(boolean),
  timeoutSec: optional(seconds),
  connectTimeoutSec: optional(seconds),
  acceptNew: optional(boolean),
  identities: optional(arrayOf(path, 32)),
  knownHostsFile: optional(path),
});

const reachRequest = object({
  target: { check: string(1024) },
  snapshotId: { check: id },
  context: { check: contextId },
  endpoints: { check: arrayOf(string(4096), 64) },
  timeoutSec: optional((v, where) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 600 ? undefined : `${where} must be a number of seconds between 0 and 600`)),
});

const applyFixOptions = object({ strategyId: optional(string(200)) });
const undoFixOptions = object({ force: optional(boolean) });
const fixFilter = object({ target: optional(string(1024)), variable: optional(variableName) });

/** The parameters of one method: required ones, then optional trailing ones. */
interface Signature {
  required: Check[];
  optional?: Check[];
}

/** Every method's parameters, in order. */
const SIGNATURES: { readonly [M in ApiMethod]: Signature } = {
  listTargets: { required: [] },
  startCapture: { required: [captureRequest] },
  cancelCapture: { required: [id] },
  answerPrompt: { required: [id, promptAnswer] },
  listSnapshots: { required: [] },
  getSnapshot: { required: [id] },
  deleteSnapshot: { required: [id] },
  importSnapshot: { required: [string(MAX_IMPORT_CHARS)] },
  exportSnapshot: { required: [id], optional: [exportOptions] },
  previewReport: { required: [snapshotIds] },
  exportReport: { required: [snapshotIds], optional: [reportOptions] },
  getAppInfo: { required: [] },
  startFleet: { required: [fleetRequest] },
  cancelFleet: { required: [id] },
  retryFleet: { required: [id] },
  getFleet: { required: [id] },
  planFix: { required: [fixRequest] },
  applyFix: { required: [id], optional: [applyFixOptions] },
  undoFix: { required: [id], optional: [undoFixOptions] },
  listFixes: { required: [], optional: [fixFilter] },
  restartVscodeServer: { required: [string(1024)] },
  startReach: { required: [reachRequest] },
  cancelReach: { required: [id] },
  openFleet: { required: [path] },
  getFleetOverview: { required: [id] },
  getFleetSnapshot: { required: [id, string(1024)] },
  readInventory: { required: [path] },
};

/**
 * What is wrong with `args` as the arguments of `method`, or undefined when they fit.
 *
 * A trailing optional argument may be `undefined` (structured clone keeps it); `null`
 * is refused like any other wrong type.
 */
export function checkApiArgs(method: ApiMethod, args: readonly unknown[]): string | undefined {
  const signature = SIGNATURES[method];
  const optionalChecks = signature.optional ?? [];
  const max = signature.required.length + optionalChecks.length;
  if (args.length < signature.required.length || args.length > max) {
    const expected = signature.required.length === max ? `${max}` : `${signature.required.length} to ${max}`;
    return `${method} takes ${expected} argument${max === 1 ? '' : 's'}, not ${args.length}`;
  }
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    const isOptional = i >= signature.required.length;
    if (isOptional && value === undefined) continue;
    const check = isOptional ? optionalChecks[i - signature.required.length] : signature.required[i];
    const problem = check?.(value, `${method} argument ${i + 1}`);
    if (problem) return problem;
  }
  return undefined;
}

/** {@link checkApiArgs}, throwing an EnvlensError of kind `usage` when they do not fit. */
export function validateApiArgs(method: ApiMethod, args: readonly unknown[]): void {
  const problem = checkApiArgs(method, args);
  if (problem) throw new EnvlensError('usage', problem);
}
