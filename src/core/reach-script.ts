/**
 * The reachability script: one POSIX sh script, run in one exec, that checks a
 * {@link ReachPlan}'s endpoints from the host, and the parser of what it prints.
 *
 * Built like the probe (./probe-script.ts, docs/probe-protocol.md): it travels base64
 * inside the exec command (so any login shell passes it unchanged and an rc file that
 * reads stdin cannot eat it), only lines with this run's random marker are framing, and
 * everything it starts runs in its own session (`setsid`) so that at the deadline, on
 * cancel (SIGTERM) or at the end, whole process groups are killed: nothing is left on
 * the host.
 *
 * Each endpoint is one `curl` (else GNU `wget`) HEAD request with the route decided by
 * ./reach.ts spelled out: `--proxy URL` or `--noproxy '*'`, never the environment's
 * proxy variables. The client runs under `env -i` with only PATH (the context's),
 * `LANG=C` and the context's TLS trust variables (`SSL_CERT_FILE`, `SSL_CERT_DIR`,
 * `CURL_CA_BUNDLE`), and `curl -q` ignores ~/.curlrc: the check does exactly what the
 * plan shows, nothing that a startup file or a config file could change. The checks run
 * concurrently, each bounded by `--max-time`, the whole run by one deadline.
 */

import { base64Decode, base64Encode, decodeUtf8, utf8Encode } from './bytes';
import type { ReachEndpoint } from './reach';
import type { RawCheck } from './reach';

/** Version of the script's output grammar. */
export const REACH_PROTOCOL = 1;

/** Seconds the script allows past the per-check deadline before killing what still runs. */
export const REACH_DEADLINE_SLACK_SEC = 2;

/** Options of {@link buildReachCommand}. */
export interface ReachCommandOptions {
  /** Random per-run marker: 16–64 characters of [0-9a-f]. */
  marker: string;
  /** The endpoints to check (skipped ones are left out by the caller). */
  endpoints: readonly Pick<ReachEndpoint, 'url' | 'via'>[];
  /** Deadline of each check, seconds (default 5). */
  timeoutSec?: number;
  /** The context's environment: PATH and the TLS trust variables are taken from it. */
  env?: Readonly<Record<string, string>>;
  /** Which client to use: `auto` (curl, else wget; default), or force one (tests). */
  client?: 'auto' | 'curl' | 'wget';
}

/** TLS trust variables handed to the client from the context's environment. */
export const REACH_TLS_VARIABLES = ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'CURL_CA_BUNDLE'] as const;

/** The script's body; `@CHECKS@` and `@TLS@` are replaced by {@link buildReachScript}. */
export const REACH_SCRIPT_BODY = `# envlens reach, protocol ${REACH_PROTOCOL} (POSIX sh). See docs/reachability.md.
umask 077
say() { printf '%s %s\\n' "$M" "$*"; }
b64() { base64 2>/dev/null | tr -d '\\n'; }
D=$(mktemp -d "\${TMPDIR:-/tmp}/envlens-reach.XXXXXXXX" 2>/dev/null) || D=$(mktemp -d /tmp/envlens-reach.XXXXXXXX) || { say FATAL cannot create a temporary directory; exit 3; }
W=""; C=""
killchecks() {
  for _f in "$D"/*.pid; do [ -f "$_f" ] && read -r _g <"$_f" && { kill -s KILL -- "-$_g" 2>/dev/null || kill -s KILL "$_g" 2>/dev/null; }; done
}
cleanup() {
  trap - EXIT HUP INT TERM PIPE
  killchecks
  [ -n "$W" ] && { kill -s KILL -- "-$W" 2>/dev/null || kill -s KILL "$W" 2>/dev/null; }
  wait 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE
command -v setsid >/dev/null 2>&1 && SETSID=setsid || SETSID=
PATH="$RP:/usr/local/bin:/usr/bin:/bin"; export PATH
CURL=$(command -v curl 2>/dev/null); WGET=$(command -v wget 2>/dev/null)
case $RC in curl) WGET=;; wget) CURL=;; esac
WNC=
say BEGIN reach ${REACH_PROTOCOL}
if [ -n "$CURL" ]; then
  say CLIENT curl "$("$CURL" --version 2>/dev/null | head -n 1 | b64)"
elif [ -n "$WGET" ]; then
  say CLIENT wget "$("$WGET" --version 2>/dev/null | head -n 1 | b64)"
  "$WGET" --help 2>/dev/null | grep -q -e '--no-config' && WNC=--no-config
else
  say CLIENT none
  say DONE
  exit 0
fi
nowms() { _s=$(date +%s%N 2>/dev/null); case $_s in *N|'') read -r _u _r </proc/uptime; echo "\${_u%.*}\${_u#*.}0";; *) echo "\${_s%??????}";; esac; }
# check ID URL VIA: one HEAD request, its client in its own session; VIA empty: direct.
check() {
  (
    _id=$1; _u=$2; _v=$3
    _t0=$(nowms)
    set -- env -i PATH="$PATH" LANG=C
@TLS@
    if [ -n "$CURL" ]; then
      set -- "$@" "$CURL" -q -sS -I -o /dev/null -w '%{http_code} %{http_connect} %{time_total}' -A envlens-reach --max-time "$T" --connect-timeout "$T"
      if [ -n "$_v" ]; then set -- "$@" --proxy "$_v"; else set -- "$@" --noproxy '*'; fi
      set -- "$@" --url "$_u"
    else
      set -- "$@" "$WGET" $WNC -nv -S --spider --tries=1 --max-redirect=0 --timeout="$T" -U envlens-reach
      if [ -n "$_v" ]; then set -- "$@" -e use_proxy=on -e "http_proxy=$_v" -e "https_proxy=$_v"; else set -- "$@" --no-proxy; fi
      set -- "$@" -- "$_u"
    fi
    $SETSID "$@" </dev/null >"$D/$_id.out" 2>"$D/$_id.err" &
    _p=$!
    echo "$_p" >"$D/$_id.pid"
    wait "$_p"; _rc=$?
    kill -s KILL -- "-$_p" 2>/dev/null
    _t1=$(nowms)
    echo "$_rc $((_t1 - _t0))" >"$D/$_id.rc"
  ) 2>/dev/null &
  C="$C $!"
}
@CHECKS@
# The deadline: one timer in its own session; it kills every check still running.
$SETSID sh -c 'sleep "$1"; for _f in "$2"/*.pid; do [ -f "$_f" ] && read -r _g <"$_f" && kill -s KILL -- "-$_g" 2>/dev/null; done' envlens-reach-deadline "$DL" "$D" </dev/null >/dev/null 2>&1 &
W=$!
for _c in $C; do wait "$_c"; done
_n=0
while [ "$_n" -lt "$NE" ]; do
  _n=$((_n+1))
  _rc=255; _ms=-1
  [ -f "$D/e$_n.rc" ] && read -r _rc _ms <"$D/e$_n.rc"
  _o=$(head -c 4096 "$D/e$_n.out" 2>/dev/null | b64); [ -n "$_o" ] || _o=-
  _e=$(head -c 4096 "$D/e$_n.err" 2>/dev/null | b64); [ -n "$_e" ] || _e=-
  say RESULT "e$_n" "$_rc" "$_ms" "$_o" "$_e"
done
say DONE
`;

/** Quote for POSIX sh: one single-quoted word. */
function shellSingleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The whole script for these endpoints: settings as assignments, then
 * {@link REACH_SCRIPT_BODY} with one `check` line per endpoint. Throws when a URL holds
 * control characters (the plan never produces one).
 */
export function buildReachScript(options: ReachCommandOptions): string {
  const { marker, endpoints, timeoutSec = 5, env = {}, client = 'auto' } = options;
  if (!/^[0-9a-f]{16,64}$/.test(marker)) throw new Error('reach marker must be 16–64 lowercase hex characters');
  if (!(timeoutSec > 0 && timeoutSec <= 600)) throw new Error('reach timeout must be between 0 and 600 seconds');
  const seconds = Number.isInteger(timeoutSec) ? String(timeoutSec) : timeoutSec.toFixed(2);
  const deadline = Math.ceil(timeoutSec + REACH_DEADLINE_SLACK_SEC);
  const checks = endpoints.map((e, i) => {
    for (const url of [e.url, e.via ?? '']) if (CONTROL.test(url)) throw new Error(`refusing to send a URL with control characters: ${JSON.stringify(url)}`);
    return `check e${i + 1} ${shellSingleQuote(e.url)} ${shellSingleQuote(e.via ?? '')}`;
  });
  const tls = REACH_TLS_VARIABLES.filter((n) => (env[n] ?? '') !== '' && !CONTROL.test(env[n] ?? '')).map((n) => `    set -- "$@" ${shellSingleQuote(`${n}=${env[n] ?? ''}`)}`);
  const path = env.PATH && !CONTROL.test(env.PATH) ? env.PATH : '/usr/local/bin:/usr/bin:/bin';
  const body = REACH_SCRIPT_BODY.replace('@TLS@', tls.length ? tls.join('\n') : '    :').replace('@CHECKS@', checks.length ? checks.join('\n') : ':');
  return [`M=${marker}`, `T=${seconds}`, `DL=${deadline}`, `NE=${endpoints.length}`, `RC=${client}`, `RP=${shellSingleQuote(path)}`, body].join('\n');
}

/**
 * The exec command that runs the reach script: one line every login shell parses the
 * same way (see buildProbeCommand in ./probe-script.ts).
 */
export function buildReachCommand(options: ReachCommandOptions): string {
  const b64 = base64Encode(utf8Encode(buildReachScript(options)));
  return `exec /bin/sh -c 'eval "$(printf %s ${b64} | base64 -d)"' envlens-reach`;
}

/** What the script printed, parsed. */
export interface ReachOutput {
  /** The BEGIN line arrived (the script ran). */
  begun: boolean;
  /** The DONE line arrived (every check reported). */
  done: boolean;
  client?: { name: 'curl' | 'wget'; version: string } | { name: 'none' };
  fatal?: string;
  /** Per endpoint index (0-based), what the host reported. */
  checks: Map<number, RawCheck>;
}

function decodeB64Text(text: string): string {
  if (text === '-' || text === '') return '';
  try {
    return decodeUtf8(base64Decode(text)).text;
  } catch {
    return '';
  }
}

/**
 * Parse the reach script's stdout. Only lines containing `marker␠` count; anything
 * before the marker on a line and every other line (rc-file noise) is ignored.
 */
export function parseReachOutput(stdout: string, marker: string): ReachOutput {
  const out: ReachOutput = { begun: false, done: false, checks: new Map() };
  const tag = `${marker} `;
  let clientName: 'curl' | 'wget' | undefined;
  for (const rawLine of stdout.split('\n')) {
    const at = rawLine.indexOf(tag);
    if (at < 0) continue;
    const fields = rawLine.slice(at + tag.length).trim().split(' ');
    const [kind, ...rest] = fields;
    switch (kind) {
      case 'BEGIN':
        out.begun = rest[0] === 'reach';
        break;
      case 'CLIENT': {
        const name = rest[0];
        if (name === 'curl' || name === 'wget') {
          clientName = name;
          out.client = { name, version: decodeB64Text(rest[1] ?? '').trim() };
        } else out.client = { name: 'none' };
        break;
      }
      case 'FATAL':
        out.fatal = rest.join(' ');
        break;
      case 'RESULT': {
        const [id = '', rc = '', ms = '', o = '', e = ''] = rest;
        const index = /^e(\d+)$/.exec(id);
        if (!index || !clientName) break;
        const exitCode = Number(rc);
        const elapsed = Number(ms);
        const check: RawCheck = { client: clientName, exitCode: Number.isFinite(exitCode) ? exitCode : -1, out: decodeB64Text(o), err: decodeB64Text(e), killed: exitCode === 137 || exitCode === 265 };
        if (Number.isFinite(elapsed) && elapsed >= 0) check.ms = Math.round(elapsed);
        out.checks.set(Number(index[1]) - 1, check);
        break;
      }
      case 'DONE':
        out.done = true;
        break;
    }
  }
  return out;
}
