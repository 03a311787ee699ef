/**
 * Running the probe outside envlens, and importing what it printed.
 *
 * `envlens probe` prints {@link buildProbeScriptFile}: a self-contained POSIX sh file
 * that other fleet engines (an Ansible playbook, `ssh host 'sh -s' < probe.sh`,
 * Salt, a CI job) run as-is. Its header makes a fresh random marker on the host, prints
 * one line `ENVLENS-PROBE <protocol> <marker> <contexts> <timeout> <trace>` and then runs
 * the exact {@link PROBE_SCRIPT}. `envlens import` finds that line, checks the protocol,
 * parses the framed output with {@link ProbeOutputParser} (length + cksum per block) and
 * assembles a snapshot. Grammar: docs/probe-protocol.md, "Running the probe yourself".
 */

import { latin1 } from './bytes';
import { ProbeOutputParser } from './probe-output';
import { PROBE_PROTOCOL, PROBE_SCRIPT } from './probe-script';
import { SnapshotAssembler } from './snapshot-build';
import { isContextId, type ContextId, type Snapshot } from '../shared/model';

/** Options of {@link buildProbeScriptFile}. */
export interface ProbeFileOptions {
  contexts: readonly ContextId[];
  timeoutSec?: number;
  trace?: boolean;
  /** Run go, git, npm and pip in each context (tool views). Default true. */
  tools?: boolean;
  version: string;
}

/** The self-contained probe script `envlens probe` prints. */
export function buildProbeScriptFile(options: ProbeFileOptions): string {
  const { contexts, timeoutSec = 10, trace = false, tools = true, version } = options;
  if (!(timeoutSec > 0 && timeoutSec <= 86_400)) throw new Error('probe timeout must be between 0 and 86400 seconds');
  const list = contexts.length ? contexts.join(',') : 'none';
  const seconds = Number.isInteger(timeoutSec) ? String(timeoutSec) : timeoutSec.toFixed(2);
  return `#!/bin/sh
# envlens ${version} probe, protocol ${PROBE_PROTOCOL}: captures the environment of every
# shell context of the account that runs it. Self-contained POSIX sh; audit it below.
#
# Run it as the account to inspect, e.g.
#   ssh user@host 'sh -s' < probe.sh > host.out
#   ansible-playbook -i inventory probe.yml   (the playbook in envlens's docs/fleet-at-scale.md)
# Everything goes to stdout: a first line "ENVLENS-PROBE <protocol> <marker> <contexts>
# <timeout> <trace>", then framed blocks (docs/probe-protocol.md). Save stdout to a file
# per host and turn the files into snapshots with: envlens import FILE-OR-FOLDER...
# Nothing is written on the host but a private temp dir, removed at exit.
{
# A fresh random marker for every run, made on the host.
ENVLENS_M=$(od -An -N16 -tx1 /dev/urandom 2>/dev/null | tr -d ' \\n')
case $ENVLENS_M in
  ????????????????*) ;;
  *) ENVLENS_M=$(printf '%08x%08x%08x' "$(date +%s)" "$$" "$(awk 'BEGIN{srand(); printf "%d", rand()*2147483647}' 2>/dev/null || echo 0)") ;;
esac
printf 'ENVLENS-PROBE %s %s %s %s %s\\n' ${PROBE_PROTOCOL} "$ENVLENS_M" '${list}' ${seconds} ${trace ? 1 : 0}
set -- "$ENVLENS_M" ${seconds} '${list}' ${trace ? 1 : 0}${tools ? '' : ' - 0'}
unset ENVLENS_M
# ---- the envlens probe, exactly as envlens capture runs it ----
${PROBE_SCRIPT}} </dev/null
`;
}

/** The first line of a probe run, as {@link findProbeHeader} found it. */
export interface ProbeHeader {
  protocol: number;
  marker: string;
  contexts?: ContextId[];
  timeoutSec?: number;
  trace?: boolean;
}

const HEADER = /^ENVLENS-PROBE (\d+) ([0-9a-f]{16,64})(?: (\S+) (\S+) ([01]))?\r?$/;

/**
 * The header line of a probe output. Startup files may print before it (or imitate it),
 * so of all header lines the one whose marker also frames a BEGIN line wins.
 */
export function findProbeHeader(text: string): ProbeHeader | undefined {
  const candidates: ProbeHeader[] = [];
  // Only lines that start with the header word (no split of the whole output: 10,000-host imports).
  for (let at = text.startsWith('ENVLENS-PROBE ') ? 0 : text.indexOf('\nENVLENS-PROBE '); at !== -1; at = text.indexOf('\nENVLENS-PROBE ', at + 1)) {
    const from = text[at] === '\n' ? at + 1 : at;
    const eol = text.indexOf('\n', from);
    const m = HEADER.exec(text.slice(from, eol === -1 ? text.length : eol));
    if (!m) continue;
    const header: ProbeHeader = { protocol: Number(m[1]), marker: m[2]! };
    if (m[3] !== undefined) {
      const ids = m[3].split(',').filter(isContextId);
      header.contexts = ids;
      const t = Number(m[4]);
      if (Number.isFinite(t) && t > 0) header.timeoutSec = t;
      header.trace = m[5] === '1';
    }
    candidates.push(header);
  }
  return candidates.find((c) => text.includes(`${c.marker} BEGIN `)) ?? candidates[0];
}

const HEADER_WORD = [...'ENVLENS-PROBE '].map((c) => c.charCodeAt(0));

/**
 * The text {@link findProbeHeader} needs: when one line starts with the header word, that
 * line alone (no decoding of the whole output, which dominates 10,000-host imports);
 * when several do (a startup file imitating it), the whole output, so the marker that
 * frames a BEGIN line wins.
 */
function headerCandidates(bytes: Uint8Array): string {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (bytes[at] === HEADER_WORD[0] && HEADER_WORD.every((c, k) => bytes[at + k] === c)) starts.push(at);
    if (starts.length > 1) return latin1(bytes);
    const eol = bytes.indexOf(10, at);
    if (eol === -1) break;
    at = eol + 1;
  }
  if (starts.length === 0) return '';
  const eol = bytes.indexOf(10, starts[0]);
  return latin1(bytes, starts[0], eol === -1 ? bytes.length : eol);
}

/** What {@link importProbeOutput} needs besides the bytes. */
export interface ImportOptions {
  /** The host's name in the fleet (folder or file name): the snapshot's target label. */
  hostName: string;
  id: string;
  /** When the output was written (file mtime), ISO. */
  capturedAt: string;
  version: string;
}

/** A probe output that cannot be imported. */
export class MalformedProbeOutput extends Error {}

/**
 * A snapshot from one probe output; throws {@link MalformedProbeOutput} when the output
 * has no header, another protocol, a corrupted block, or stops before DONE.
 */
export function importProbeOutput(bytes: Uint8Array, options: ImportOptions): Snapshot {
  const header = findProbeHeader(headerCandidates(bytes));
  if (!header) throw new MalformedProbeOutput('no "ENVLENS-PROBE <protocol> <marker>" line: not the output of the script `envlens probe` prints');
  if (header.protocol !== PROBE_PROTOCOL) throw new MalformedProbeOutput(`probe protocol ${header.protocol}, this envlens reads protocol ${PROBE_PROTOCOL}: print the probe again with this version`);
  const parser = new ProbeOutputParser(header.marker);
  const frames = parser.push(bytes);
  for (const frame of parser.end()) frames.push(frame);
  const problems: string[] = [];
  const seen = new Set<ContextId>();
  const host: Record<string, string> = {};
  let protocol: number | undefined;
  for (const frame of frames) {
    if (frame.type === 'begin') protocol = frame.protocol;
    else if (frame.type === 'host') host[frame.key] = frame.value;
    else if (frame.type === 'corrupt') problems.push(frame.message);
    else if (frame.type === 'fatal') problems.push(`the probe stopped on the host: ${frame.message}`);
    else if ((frame.type === 'context' || frame.type === 'status') && isContextId(frame.context)) seen.add(frame.context);
  }
  if (protocol === undefined) throw new MalformedProbeOutput('the probe never started (no BEGIN line after the header)');
  if (protocol !== PROBE_PROTOCOL) throw new MalformedProbeOutput(`the probe reported protocol ${protocol}, this envlens reads protocol ${PROBE_PROTOCOL}`);
  if (problems.length) throw new MalformedProbeOutput(problems[0]!);
  if (!parser.finished) throw new MalformedProbeOutput('the output stops before the DONE line: truncated, or the probe was killed');
  const contexts = header.contexts ?? [...seen];
  const assembler = new SnapshotAssembler({
    id: options.id,
    target: { label: options.hostName, host: host.hostname || options.hostName, port: 0, user: host.user ?? '' },
    capturedAt: options.capturedAt,
    marker: header.marker,
    contexts,
    timeoutSec: header.timeoutSec ?? 10,
    trace: header.trace ?? false,
    version: options.version,
    probeProtocol: PROBE_PROTOCOL,
  });
  for (const frame of frames) assembler.add(frame);
  return assembler.finish({ status: 'error', reason: 'the probe output has no result for this context' });
}

/**
 * The host name of an input file: for a file inside a given folder (Ansible's fetch
 * layout `<folder>/<host>/…/file`) the first folder under it; for a file given itself,
 * its name without the extension. Paths use `/`.
 */
export function hostNameOf(file: string, root?: string): string {
  if (root !== undefined) {
    const base = root.replace(/\/+$/, '');
    const rest = file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
    const parts = rest.split('/').filter(Boolean);
    if (parts.length > 1) return parts[0]!;
    return stripExtension(parts[0] ?? rest);
  }
  return stripExtension(file.split('/').pop() ?? file);
}

function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
