/**
 * The remote probe: one POSIX sh script that captures every context in one exec.
 *
 * Why one script: each SSH exec costs a round trip and a channel (sshd's MaxSessions
 * caps channels per connection), so the probe starts every context concurrently on the
 * host and frames each result on stdout as soon as it is done. Why framing: startup
 * files print banners, ANSI codes, binary junk or even fake markers; so the
 * environment never travels through a shell's stdout at all. Each context writes its
 * environment (`/proc/self/environ`, NUL-separated bytes) to a private temp file, and
 * the probe alone prints framed blocks: a random per-run marker, base64 of the bytes,
 * their length and POSIX `cksum`. The output grammar is documented in
 * docs/probe-protocol.md and parsed by ./probe-output.ts.
 *
 * Deadlines: every context runs in its own session (`setsid`), so on the deadline the
 * probe kills the whole process group, including anything an rc file left running, and
 * reports `timeout` for that context alone. Nothing is left behind on the host.
 */

import { base64Encode, utf8Encode } from './bytes';
import type { ContextId } from '../shared/model';

/** Version of the probe's output protocol; bumped on incompatible changes. */
export const PROBE_PROTOCOL = 1;

/**
 * The probe script (POSIX sh). Arguments: MARKER TIMEOUT_SECONDS CONTEXTS(comma list) TRACE(0|1).
 *
 * Kept as readable shell (not minified) so people can audit what runs on their hosts:
 * `envlens probe` prints it.
 */
export const PROBE_SCRIPT = `# envlens probe, protocol ${PROBE_PROTOCOL} (POSIX sh). See docs/probe-protocol.md.
# Arguments: MARKER TIMEOUT_SECONDS CONTEXTS TRACE
M=$1; T=$2; C=",$3,"; X=$4
umask 077
say() { printf '%s %s\\n' "$M" "$*"; }
D=$(mktemp -d "\${TMPDIR:-/tmp}/envlens.XXXXXXXX" 2>/dev/null) || D=$(mktemp -d /tmp/envlens.XXXXXXXX) || { say FATAL cannot create a temporary directory; exit 3; }
# ssh-command first, before this script touches anything: the environment the account's
# shell handed to the exec command.
cat /proc/$$/environ >"$D/ssh-command.env" 2>/dev/null || env -0 >"$D/ssh-command.env" 2>/dev/null
S=""; N=0
cleanup() {
  trap - EXIT HUP INT TERM PIPE
  [ -f "$D/sleep.pid" ] && read -r _g <"$D/sleep.pid" && kill "$_g" 2>/dev/null
  for _i in $S; do killgroup "$_i"; done
  wait 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE
killgroup() {
  [ -f "$D/$1.pid" ] || return 0
  read -r _g <"$D/$1.pid" || return 0
  kill -s KILL -- "-$_g" 2>/dev/null || kill -s KILL "$_g" 2>/dev/null
}
want() { case $C in *",$1,"*) return 0;; esac; return 1; }
now() { read -r _n _r </proc/uptime 2>/dev/null || _n=0; }
# emit TAG FILE [LIMIT]: one framed block. Few processes per block (the probe emits
# dozens): cksum prints both CRC and length (POSIX), and an empty file needs none at
# all (the CRC of nothing is 4294967295).
emit() {
  [ -f "$2" ] || return 0
  if [ ! -s "$2" ]; then say DATA "$1" 0 4294967295; say END "$1"; return 0; fi
  _f=$2
  _ck=$(cksum <"$_f")
  if [ -n "\${3:-}" ] && [ "\${_ck##* }" -gt "$3" ]; then head -c "$3" "$_f" >"$_f.cut"; _f="$_f.cut"; _ck=$(cksum <"$_f"); fi
  say DATA "$1" "\${_ck##* }" "\${_ck%% *}"
  base64 <"$_f"
  say END "$1"
}
command -v setsid >/dev/null 2>&1 && SETSID=setsid || SETSID=
CAT=$(command -v cat); ENV=$(command -v env)
UN=$(id -un 2>/dev/null); UI=$(id -u 2>/dev/null)
SH=$(getent passwd "$UI" 2>/dev/null | cut -d: -f7); [ -n "$SH" ] || SH=\${SHELL:-/bin/sh}
BASH=$(command -v bash 2>/dev/null); ZSH=$(command -v zsh 2>/dev/null)
PS4B="+ELTRACE$M|\\\${BASH_SOURCE:-}|\\\${LINENO}| "; PS4Z="+ELTRACE$M|%x|%I| "
# start ID TRACEFILE CMD...: run CMD in its own session; stdout to ID.out, stderr to ID.err.
start() {
  _id=$1; _tf=$2; shift 2
  S="$S $_id"; N=$((N+1))
  (
    now; _t0=$_n
    [ -n "$_tf" ] && exec 7>"$_tf"
    $SETSID "$@" </dev/null >"$D/$_id.out" 2>"$D/$_id.err" 3>&- &
    _p=$!
    echo "$_p" >"$D/$_id.pid"
    wait "$_p"; _rc=$?
    kill -s KILL -- "-$_p" 2>/dev/null
    now
    echo "$_rc $_t0 $_n" >"$D/$_id.rc"
    echo "$_id" >&3
  ) 2>/dev/null &
}
# shellctx ID KIND SHELL FLAGS [VAR=VALUE...]: start SHELL FLAGS -c 'dump environment'.
shellctx() {
  _id=$1; _k=$2; _s=$3; _fl=$4; shift 4
  _cmd="$CAT /proc/self/environ >$D/$_id.env || $ENV -0 >$D/$_id.env"
  _tf=
  if [ "$X" = 1 ]; then
    case $_k in
      bash) _tf="$D/$_id.trace"; set -- "$@" "PS4=$PS4B" BASH_XTRACEFD=7; _fl="-x $_fl";;
      zsh) set -- "$@" "PS4=$PS4Z"; _fl="-x $_fl";;
    esac
  fi
  say RUN "$_id" "$_s" $_fl -c
  # shellcheck disable=SC2086
  start "$_id" "$_tf" "$ENV" "$@" "$_s" $_fl -c "$_cmd"
}
kind() { case \${1##*/} in bash) echo bash;; zsh) echo zsh;; *) echo other;; esac; }
unavailable() { say STATUS "$1" unavailable "$2"; }

say BEGIN ${PROBE_PROTOCOL}
say HOST user "$UN"
say HOST uid "$UI"
say HOST hostname "$(uname -n 2>/dev/null)"
say HOST kernel "$(uname -sr 2>/dev/null)"
say HOST shell "$SH"
say HOST home "$HOME"
say HOST bash "$BASH"
say HOST zsh "$ZSH"
say HOST btime "$(sed -n 's/^btime //p' /proc/stat 2>/dev/null)"
say HOST clktck "$(getconf CLK_TCK 2>/dev/null)"
say HOST tmp "$D"
mkfifo "$D/ev" && exec 3<>"$D/ev" || { say FATAL cannot create a fifo in "$D"; exit 3; }
SK=$(kind "$SH")
want login && shellctx login "$SK" "$SH" "-l"
want login-interactive && shellctx login-interactive "$SK" "$SH" "-l -i"
if want bash-interactive; then
  if [ -n "$BASH" ]; then shellctx bash-interactive bash "$BASH" "-i"; else unavailable bash-interactive "bash is not installed"; fi
fi
if want zsh; then
  if [ -n "$ZSH" ]; then shellctx zsh zsh "$ZSH" "-l -i"; else unavailable zsh "zsh is not installed"; fi
fi
want vscode-resolved && shellctx vscode-resolved "$SK" "$SH" "-i -l" VSCODE_RESOLVING_ENVIRONMENT=1
if want systemd-user; then
  if command -v systemctl >/dev/null 2>&1; then start systemd-user "" systemctl --user show-environment
  else unavailable systemd-user "systemctl is not installed (no systemd)"; fi
fi
# The deadline: one timer for all contexts, since they run concurrently.
( sleep "$T" & echo $! >"$D/sleep.pid"; wait; echo DEADLINE >&3 ) 2>/dev/null &

# Host facts that take a little reading, while the shells run.
cat /etc/os-release >"$D/os-release" 2>/dev/null
# One stat for all of them (in this order), not one process per file.
set --
for _f in "$HOME/.profile" "$HOME/.bash_profile" "$HOME/.bash_login" "$HOME/.bashrc" "$HOME/.zshenv" "$HOME/.zprofile" "$HOME/.zshrc" "$HOME/.zlogin" /etc/profile /etc/bash.bashrc /etc/environment /etc/zsh/zshenv /etc/zsh/zprofile /etc/zsh/zshrc /etc/zsh/zlogin /etc/profile.d/*.sh "$HOME"/.config/environment.d/*.conf; do
  [ -e "$_f" ] && set -- "$@" "$_f"
done
: >"$D/startup"
[ $# -gt 0 ] && stat -L -c '%Y %n' -- "$@" >"$D/startup" 2>/dev/null
[ -r /etc/environment ] && cat /etc/environment >"$D/etc-environment" 2>/dev/null
emit os-release "$D/os-release" 65536
emit startup "$D/startup" 65536
emit etc-environment "$D/etc-environment" 65536

say CTX ssh-command done 0
emit env "$D/ssh-command.env"
say ENDCTX ssh-command

# VS Code server and extension host: newest process of this account whose command line
# is under ~/.vscode-server*, found by their command lines.
if want vscode-server || want vscode-exthost; then
  _srv=; _srvt=-1; _list=
  for _f in $(grep -l -s -a -F -e server-main.js -e --type=extensionHost /proc/[0-9]*/cmdline 2>/dev/null); do
    _d=\${_f%/cmdline}
    [ -O "$_d" ] || continue
    _cl=$(tr '\\000' ' ' <"$_f" 2>/dev/null) || continue
    case $_cl in *.vscode-server*) ;; *) continue;; esac
    # The program must be node itself (VS Code ships its own \`node\`), not e.g. a sudo or
    # runuser wrapper whose arguments mention the server.
    _a0=\${_cl%% *}
    case \${_a0##*/} in node) ;; *) continue;; esac
    _st=$(sed 's/.*) //' "$_d/stat" 2>/dev/null) || continue
    # shellcheck disable=SC2086
    set -- $_st
    case $_cl in
      *--type=extensionHost*) _list="$_list \${_d##*/}:$2:\${20}";;
      *server-main.js*) if [ "\${20}" -gt "$_srvt" ]; then _srv=\${_d##*/}; _srvt=\${20}; fi;;
    esac
  done
  _ext=; _extt=-1; _extp=0
  for _e in $_list; do
    _pid=\${_e%%:*}; _r=\${_e#*:}; _pp=\${_r%%:*}; _t=\${_r#*:}
    _m=0; [ "$_pp" = "$_srv" ] && _m=1
    if [ "$_m" -gt "$_extp" ] || { [ "$_m" -eq "$_extp" ] && [ "$_t" -gt "$_extt" ]; }; then _ext=$_pid; _extt=$_t; _extp=$_m; fi
  done
  for _c in vscode-server vscode-exthost; do
    want "$_c" || continue
    if [ "$_c" = vscode-server ]; then _pid=$_srv; _t=$_srvt; else _pid=$_ext; _t=$_extt; fi
    if [ -z "$_pid" ]; then
      if [ "$_c" = vscode-server ]; then unavailable "$_c" "no VS Code server process (server-main.js under ~/.vscode-server*) is running for $UN"
      else unavailable "$_c" "no VS Code extension host process is running for $UN"; fi
      continue
    fi
    cat "/proc/$_pid/cmdline" >"$D/$_c.cmdline" 2>/dev/null
    if cat "/proc/$_pid/environ" >"$D/$_c.env" 2>/dev/null; then
      say CTX "$_c" done 0
      say PROC "$_c" "$_pid" "$_t"
      emit cmdline "$D/$_c.cmdline" 65536
      emit env "$D/$_c.env"
      say ENDCTX "$_c"
    else
      say STATUS "$_c" error "cannot read /proc/$_pid/environ"
    fi
  done
fi

emitctx() {
  [ -e "$D/$1.done" ] && return 0
  : >"$D/$1.done"
  if [ "$2" = timeout ]; then say CTX "$1" timeout
  else read -r _rc _t0 _t1 <"$D/$1.rc"; say CTX "$1" done "$_rc" "$_t0" "$_t1"; fi
  emit env "$D/$1.env"
  if [ "$X" = 1 ]; then emit err "$D/$1.err" 16777216; else emit err "$D/$1.err" 65536; fi
  emit trace "$D/$1.trace" 16777216
  [ "$1" = systemd-user ] && emit out "$D/$1.out" 1048576
  say ENDCTX "$1"
}
while [ "$N" -gt 0 ] && read -r _ev <&3; do
  if [ "$_ev" = DEADLINE ]; then
    for _i in $S; do
      [ -e "$D/$_i.done" ] && continue
      killgroup "$_i"
      emitctx "$_i" timeout
    done
    break
  fi
  killgroup "$_ev"
  emitctx "$_ev" done
  N=$((N-1))
done
say DONE
`;

/** Options of {@link buildProbeCommand}. */
export interface ProbeCommandOptions {
  /** Random per-run marker: 16–64 characters of [0-9a-f]. */
  marker: string;
  /** Remote deadline for the shell contexts, in seconds (default 10). */
  timeoutSec?: number;
  /** Contexts to capture. `ssh-command` is always captured (it costs nothing). */
  contexts: readonly ContextId[];
  /** Trace startup files with xtrace to learn which file and line set each variable (default false). */
  trace?: boolean;
}

/**
 * The exec command that runs the probe: what `ssh host CMD` would send.
 *
 * The account's login shell runs this command (that *is* the `ssh-command` context), so
 * it must parse in any shell: sh, bash, zsh, fish, csh. It is therefore one line of
 * plain words and a single-quoted string holding only base64 and `$"()|`, which every
 * one of those shells passes through unchanged; `/bin/sh` then decodes and runs the
 * probe. The script travels in the command, not on stdin, because an rc file that reads
 * stdin would otherwise swallow it.
 */
export function buildProbeCommand(options: ProbeCommandOptions): string {
  const { marker, timeoutSec = 10, contexts, trace = false } = options;
  if (!/^[0-9a-f]{16,64}$/.test(marker)) throw new Error('probe marker must be 16–64 lowercase hex characters');
  if (!(timeoutSec > 0 && timeoutSec <= 86_400)) throw new Error('probe timeout must be between 0 and 86400 seconds');
  const list = contexts.length ? contexts.join(',') : 'none';
  const b64 = base64Encode(utf8Encode(PROBE_SCRIPT));
  const seconds = Number.isInteger(timeoutSec) ? String(timeoutSec) : timeoutSec.toFixed(2);
  return `exec /bin/sh -c 'eval "$(printf %s ${b64} | base64 -d)"' envlens-probe ${marker} ${seconds} ${list} ${trace ? 1 : 0}`;
}
