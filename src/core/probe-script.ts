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
 *
 * Tool views: as soon as a context's environment is known, the probe also runs go, git,
 * npm and pip with exactly that environment (once per distinct set of the variables each
 * reads), through the same start/killgroup machinery, with a second deadline once the
 * contexts have ended ({@link TOOLS_PHASE}, docs/probe-protocol.md "Tool views").
 */

import { base64Encode, utf8Encode } from './bytes';
import type { ContextId } from '../shared/model';

/** Version of the probe's output protocol; bumped on incompatible changes. */
export const PROBE_PROTOCOL = 1;

/**
 * The tools phase of the probe (issue #11): what go, git, npm and pip resolve with each
 * context's exact environment. Interpolated into {@link PROBE_SCRIPT}; parsed by
 * ./tool-views.ts. See docs/probe-protocol.md, "Tool views".
 */
const TOOLS_PHASE = `# --- Tool views (docs/probe-protocol.md, "Tool views"): what go, git, npm and pip
# themselves resolve, each run with EXACTLY a context's environment (env -i NAME=VALUE...,
# handed over by xargs from the NUL-separated env file; env then finds the tool on the
# context's PATH). A tool's answer depends only on the variables it reads and the files,
# so each tool runs once per distinct key (cksum of the sorted variables it reads), and
# TOOLS lines say which run answers for which context. Runs start as soon as a context's
# environment is known, each in its own session like a context, and are killed TIMEOUT
# seconds after the last context ended (TDEADLINE), so each has at least TIMEOUT seconds.
TSP=
TX=$(command -v xargs 2>/dev/null) || TL=0
if [ "$TL" = 1 ]; then
  # The helper xargs runs: SCRIPT PREFIX NAME=VALUE... Should xargs split a huge
  # environment over two command lines, the second run only leaves a mark (too-big).
  cat >"$D/tool.x" <<'EOF'
s=$1; o=$2; shift 2
if [ -e "$o.ran" ]; then : >"$o.split"; exit 0; fi
: >"$o.ran"
exec env -i -- "$@" /bin/sh "$s" "$o"
EOF
  # Per tool, run with the context's environment and $1 = the run's file prefix: the
  # executable's path, the tool's exit status (127: not on PATH), its output on stdout.
  cat >"$D/go.sh" <<'EOF'
p=$(command -v go) && case $p in /*) ;; *) false;; esac || { echo 127 >"$1.code"; exit 0; }
printf %s "$p" >"$1.path"
"$p" env -json GOPROXY GONOPROXY GONOSUMDB GOPRIVATE GOSUMDB GOFLAGS GOENV GOINSECURE GOVERSION; echo $? >"$1.code"
f=$("$p" env GOENV 2>/dev/null) && [ -f "$f" ] && printf %s "$f" >"$1.fname" && head -c 65536 -- "$f" >"$1.file" 2>/dev/null
exit 0
EOF
  cat >"$D/git.sh" <<'EOF'
p=$(command -v git) && case $p in /*) ;; *) false;; esac || { echo 127 >"$1.code"; exit 0; }
printf %s "$p" >"$1.path"
"$p" --version >"$1.version" 2>/dev/null
"$p" config -z --show-origin --get-regexp '^https?\\.(.*\\.)?(proxy|sslcainfo)$'; echo $? >"$1.code"
EOF
  cat >"$D/npm.sh" <<'EOF'
p=$(command -v npm) && case $p in /*) ;; *) false;; esac || { echo 127 >"$1.code"; exit 0; }
printf %s "$p" >"$1.path"
r=$(readlink -f -- "$p" 2>/dev/null) && sed -n 's/^  "version": "\\([^"]*\\)".*/\\1/p' "\${r%/bin/*}/package.json" >"$1.version" 2>/dev/null
# Leave nothing in the account's home: no debug log, no update-notifier stamp, the
# cache (which npm creates even to list config) in the probe's own folder.
"$p" config ls -l --logs-max=0 --no-update-notifier --cache="$1.cache"; echo $? >"$1.code"
EOF
  cat >"$D/pip.sh" <<'EOF'
p=$(command -v pip || command -v pip3) && case $p in /*) ;; *) false;; esac || { echo 127 >"$1.code"; exit 0; }
printf %s "$p" >"$1.path"
"$p" config debug; echo $? >"$1.code"
EOF
fi
# toolctx ID: key each tool for this context's environment, say which runs answer for it,
# and start the runs not started yet.
toolctx() {
  [ "$TL" = 1 ] || return 0
  _e="$D/$1.env"
  if [ "$1" = systemd-user ]; then
    # show-environment prints lines, not NUL-separated bytes; rebuild them unless a value
    # needed quoting (then its exact bytes are not known).
    [ -s "$D/$1.out" ] && read -r _rc _r <"$D/$1.rc" && [ "$_rc" = 0 ] || return 0
    if grep -q "^[A-Za-z_][A-Za-z0-9_]*=\\$'" "$D/$1.out"; then
      say TOOLSKIP "$1" "systemctl --user show-environment quoted a value (\\$'...'), so the exact environment cannot be rebuilt to run the tools with"
      return 0
    fi
    tr '\\n' '\\000' <"$D/$1.out" >"$D/$1.tenv"; _e="$D/$1.tenv"
  fi
  case $1 in vscode-server|vscode-exthost)
    # Node deletes NODE_CHANNEL_FD/NODE_CHANNEL_SERIALIZATION_MODE from process.env at
    # start-up, so what these processes spawn never sees them: neither do the tools.
    if grep -q NODE_CHANNEL_ "$_e" 2>/dev/null; then
      tr '\\n\\000' '\\001\\n' <"$_e" | grep -v -e '^NODE_CHANNEL_FD=' -e '^NODE_CHANNEL_SERIALIZATION_MODE=' | tr '\\001\\n' '\\n\\000' >"$D/$1.tenv"; _e="$D/$1.tenv"
    fi;;
  esac
  [ -s "$_e" ] || return 0
  # Newlines inside values become \\001, so a value cannot imitate a variable of its own.
  # PATH is not part of a key: what it finds is (the tool, and node for npm).
  tr '\\n\\000' '\\001\\n' <"$_e" | LC_ALL=C sort | awk -v p="$D/$1.k" '
    /^PATH=/ { print substr($0, 6) >(p "path") }
    /^(HOME|XDG_CONFIG_HOME|GO[A-Z0-9_]*)=/ { print >(p "go") }
    /^(HOME|XDG_CONFIG_HOME|GIT_[A-Z0-9_]*)=/ { print >(p "git") }
    /^(HOME|PREFIX|NODE_[A-Z0-9_]*)=/ || tolower($0) ~ /^npm_config_/ { print >(p "npm") }
    /^(HOME|XDG_CONFIG_HOME|XDG_CONFIG_DIRS|VIRTUAL_ENV|PIP_[A-Z0-9_]*|PYTHON[A-Z0-9_]*)=/ { print >(p "pip") }
    END { printf "" >(p "path"); printf "" >(p "go"); printf "" >(p "git"); printf "" >(p "npm"); printf "" >(p "pip") }'
  # Resolve the executables on the context's PATH with builtins (no process per lookup).
  _cp=; _np=0
  while IFS= read -r _l; do _cp=$_l; _np=$((_np+1)); done <"$D/$1.kpath"
  if [ "$_np" = 1 ]; then
    for _t in go git npm pip; do
      case $_t in npm) _x="npm node";; pip) _x="pip pip3 python3";; *) _x=$_t;; esac
      for _n in $_x; do whichin "$_n"; printf '%s=%s\\n' "$_n" "$_w" >>"$D/$1.k$_t"; done
    done
  else
    # No PATH, or several: key on the PATH lines themselves.
    for _t in go git npm pip; do printf 'PATH#%s\\n' "$_np" >>"$D/$1.k$_t"; cat "$D/$1.kpath" >>"$D/$1.k$_t"; done
  fi
  cksum "$D/$1.kgo" "$D/$1.kgit" "$D/$1.knpm" "$D/$1.kpip" >"$D/$1.keys" 2>/dev/null || return 0
  { read -r _a _b _r; _kgo=$_a-$_b; read -r _a _b _r; _kgit=$_a-$_b; read -r _a _b _r; _knpm=$_a-$_b; read -r _a _b _r; _kpip=$_a-$_b; } <"$D/$1.keys"
  say TOOLS "$1" "go:$_kgo" "git:$_kgit" "npm:$_knpm" "pip:$_kpip"
  toolrun go "$_kgo" "$_e"; toolrun git "$_kgit" "$_e"; toolrun npm "$_knpm" "$_e"; toolrun pip "$_kpip" "$_e"
}
# whichin NAME: the first executable NAME on the context's PATH ($_cp), in _w.
whichin() {
  _w=; set -f; _o=$IFS; IFS=:
  for _d in $_cp; do
    [ -n "$_d" ] || _d=.
    if [ -f "$_d/$1" ] && [ -x "$_d/$1" ]; then _w=$_d/$1; break; fi
  done
  IFS=$_o; set +f
}
# toolrun TOOL KEY ENVFILE: one run per tool and key, started like a context.
toolrun() {
  case " $S " in *" t.$1.$2 "*) return 0;; esac
  start "t.$1.$2" "" /bin/sh -c 'exec "$0" -0 -s 2000000 /bin/sh "$1" "$2" "$3" <"$4"' "$TX" "$D/tool.x" "$D/$1.sh" "$D/t.$1.$2" "$3"
}
# emittool JOB done|timeout: report a run once.
emittool() {
  [ -e "$D/$1.done" ] && return 0
  : >"$D/$1.done"
  _t=\${1#t.}; _tn=\${_t%%.*}; _tk=\${_t#*.}
  if [ "$2" = timeout ]; then say TOOL "$_tn" "$_tk" timeout
  elif [ -e "$D/$1.split" ]; then say TOOL "$_tn" "$_tk" too-big
  else
    read -r _rc _t0 _t1 <"$D/$1.rc"; _c=
    [ -s "$D/$1.code" ] && read -r _c <"$D/$1.code"
    say TOOL "$_tn" "$_tk" done "\${_c:-$_rc}" "$_t0" "$_t1"
  fi
  emit path "$D/$1.path" 4096
  emit version "$D/$1.version" 4096
  emit out "$D/$1.out" 1048576
  emit err "$D/$1.err" 65536
  emit fname "$D/$1.fname" 4096
  emit file "$D/$1.file" 65536
  say ENDTOOL "$_tn" "$_tk"
}
# tooltimer: once every context has ended, tool runs still going get TIMEOUT more seconds.
tooltimer() {
  [ -z "$TSP" ] || return 0
  for _i in $S; do case $_i in t.*) ;; *) [ -e "$D/$_i.done" ] || return 0;; esac; done
  $SETSID /bin/sh -c 'sleep "$1" && echo TDEADLINE >&3' sh "$T" </dev/null >/dev/null 2>&1 &
  TSP=$!
}
# --- end of tool views
`;

/**
 * The probe script (POSIX sh). Arguments: MARKER TIMEOUT_SECONDS CONTEXTS(comma list) TRACE(0|1).
 *
 * Kept as readable shell (not minified) so people can audit what runs on their hosts:
 * `envlens probe` prints it.
 */
export const PROBE_SCRIPT = `# envlens probe, protocol ${PROBE_PROTOCOL} (POSIX sh). See docs/probe-protocol.md.
# Arguments: MARKER TIMEOUT_SECONDS CONTEXTS TRACE [WORKSPACE_BASE64 [TOOLS]]
M=$1; T=$2; C=",$3,"; X=$4; W=\${5:-}
TL=\${6:-1}
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
  [ -n "\${TSP:-}" ] && { kill -s KILL -- "-$TSP" 2>/dev/null || kill "$TSP" 2>/dev/null; }
  for _i in $S; do killgroup "$_i"; done
  wait 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE
# cpuof ID: CPU clock ticks the context's session has used (its live processes plus the
# children they reaped, /proc/PID/stat fields 14-17) and their states (R running, S
# sleeping, D disk…), in _cpu and _st: was a timed-out shell busy or waiting?
cpuof() {
  _cpu=0; _st=
  [ -f "$D/$1.pid" ] && read -r _g <"$D/$1.pid" || return 0
  for _f in /proc/[0-9]*/stat; do
    { read -r _l <"$_f"; } 2>/dev/null || continue
    # shellcheck disable=SC2086
    set -- \${_l##*) }
    [ "\${4:-}" = "$_g" ] || continue
    _cpu=$((_cpu + \${12} + \${13} + \${14} + \${15})); _st="$_st$1"
  done
}
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
${TOOLS_PHASE}
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
for _f in "$HOME/.profile" "$HOME/.bash_profile" "$HOME/.bash_login" "$HOME/.bashrc" "$HOME/.zshenv" "$HOME/.zprofile" "$HOME/.zshrc" "$HOME/.zlogin" "$HOME/.config/fish/config.fish" /etc/profile /etc/bash.bashrc /etc/environment /etc/zsh/zshenv /etc/zsh/zprofile /etc/zsh/zshrc /etc/zsh/zlogin /etc/fish/config.fish /etc/profile.d/*.sh "$HOME"/.config/environment.d/*.conf; do
  [ -e "$_f" ] && set -- "$@" "$_f"
done
: >"$D/startup"
[ $# -gt 0 ] && stat -L -c '%Y %n' -- "$@" >"$D/startup" 2>/dev/null
[ -r /etc/environment ] && cat /etc/environment >"$D/etc-environment" 2>/dev/null
emit os-release "$D/os-release" 65536
emit startup "$D/startup" 65536
emit etc-environment "$D/etc-environment" 65536
# --- VS Code settings (docs/probe-protocol.md, "VS Code settings"): the remote machine's
# settings and, for a workspace folder (argument 5, base64; "-" for none), its
# *.code-workspace files and .vscode/settings.json. Regular files only (symlinks
# followed; fifos and devices skipped), at most 16 files of 1 MiB each.
_vn=0; : >"$D/vscode-files"
vsfile() {
  [ "$_vn" -lt 16 ] && [ -f "$2" ] && [ -r "$2" ] || return 0
  _vs=$(stat -L -c %s -- "$2" 2>/dev/null) || return 0
  head -c 1048576 -- "$2" >"$D/vscode-file-$_vn" 2>/dev/null || return 0
  printf '%s\\t%s\\t%s\\t%s\\n' "$_vn" "$1" "$_vs" "$2" >>"$D/vscode-files"
  _vn=$((_vn+1))
}
for _f in "$HOME"/.vscode-server*/data/Machine/settings.json; do vsfile machine "$_f"; done
if [ -n "$W" ] && [ "$W" != - ]; then
  _w=$(printf %s "$W" | base64 -d 2>/dev/null)
  case $_w in "~") _w=$HOME;; "~/"*) _w="$HOME/\${_w#"~/"}";; /*) ;; *) _w="$HOME/$_w";; esac
  if [ -d "$_w" ]; then
    printf 'workspace\\tfound\\t%s\\n' "$_w" >>"$D/vscode-files"
    for _f in "$_w"/*.code-workspace; do vsfile workspace-file "$_f"; done
    vsfile folder "$_w/.vscode/settings.json"
  else printf 'workspace\\tmissing\\t%s\\n' "$_w" >>"$D/vscode-files"; fi
fi
if [ -s "$D/vscode-files" ]; then
  emit vscode-files "$D/vscode-files" 65536
  _i=0; while [ "$_i" -lt "$_vn" ]; do emit "vscode-file-$_i" "$D/vscode-file-$_i"; _i=$((_i+1)); done
fi
# --- end of VS Code settings

toolctx ssh-command
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
      # Without /proc (hidden, or not mounted) no process can be seen: say that, not "none runs".
      if [ ! -r /proc/$$/cmdline ]; then unavailable "$_c" "cannot look for VS Code processes: /proc is not readable here (hidden or not mounted), so running processes cannot be seen"
      elif [ "$_c" = vscode-server ]; then unavailable "$_c" "no VS Code server process (server-main.js under ~/.vscode-server*) is running for $UN"
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
      toolctx "$_c"
    else
      say STATUS "$_c" error "cannot read /proc/$_pid/environ"
    fi
  done
fi

emitctx() {
  [ -e "$D/$1.done" ] && return 0
  : >"$D/$1.done"
  if [ "$2" = timeout ]; then say CTX "$1" timeout "$_cpu" "\${_st:--}"
  else read -r _rc _t0 _t1 <"$D/$1.rc"; say CTX "$1" done "$_rc" "$_t0" "$_t1"; fi
  emit env "$D/$1.env"
  if [ "$X" = 1 ]; then emit err "$D/$1.err" 16777216; else emit err "$D/$1.err" 65536; fi
  emit trace "$D/$1.trace" 16777216
  [ "$1" = systemd-user ] && emit out "$D/$1.out" 1048576
  say ENDCTX "$1"
  [ "$2" = done ] && toolctx "$1"
  return 0
}
# Events: a job id when it ended, DEADLINE (contexts) or TDEADLINE (tool runs). A job
# killed at a deadline still posts its id later: it was reported already.
while [ "$N" -gt 0 ] && read -r _ev <&3; do
  if [ "$_ev" = DEADLINE ] || [ "$_ev" = TDEADLINE ]; then
    for _i in $S; do
      [ -e "$D/$_i.done" ] && continue
      case $_i in
        t.*) [ "$_ev" = TDEADLINE ] || continue; killgroup "$_i"; emittool "$_i" timeout;;
        *) cpuof "$_i"; killgroup "$_i"; emitctx "$_i" timeout;;
      esac
      N=$((N-1))
    done
  else
    [ -e "$D/$_ev.done" ] && continue
    killgroup "$_ev"
    case $_ev in t.*) emittool "$_ev" done;; *) emitctx "$_ev" done;; esac
    N=$((N-1))
  fi
  [ "$N" -gt 0 ] && tooltimer
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
  /**
   * A workspace folder on the host whose VS Code settings to read (`.vscode/settings.json`,
   * `*.code-workspace`): absolute, `~/…`, or relative to the home. Default: none (only
   * the remote machine settings are read). Sent base64-encoded, so any bytes are safe.
   */
  workspace?: string;
  /**
   * Run go, git, npm and pip with each context's environment to record what they resolve
   * (`contexts[id].tools`). Default true; `false` is `--no-tools`.
   */
  tools?: boolean;
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
  const { marker, timeoutSec = 10, contexts, trace = false, workspace, tools = true } = options;
  if (!/^[0-9a-f]{16,64}$/.test(marker)) throw new Error('probe marker must be 16–64 lowercase hex characters');
  if (!(timeoutSec > 0 && timeoutSec <= 86_400)) throw new Error('probe timeout must be between 0 and 86400 seconds');
  const list = contexts.length ? contexts.join(',') : 'none';
  const b64 = base64Encode(utf8Encode(PROBE_SCRIPT));
  const seconds = Number.isInteger(timeoutSec) ? String(timeoutSec) : timeoutSec.toFixed(2);
  if (workspace !== undefined && (workspace === '' || workspace.length > 4096 || workspace.includes('\0'))) {
    throw new Error('the workspace folder must be a non-empty path of at most 4096 characters without NUL');
  }
  const ws = workspace ? ` ${base64Encode(utf8Encode(workspace))}` : tools ? '' : ' -';
  return `exec /bin/sh -c 'eval "$(printf %s ${b64} | base64 -d)"' envlens-probe ${marker} ${seconds} ${list} ${trace ? 1 : 0}${ws}${tools ? '' : ' 0'}`;
}
