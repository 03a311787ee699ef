/**
 * The test lab's accounts and the exact text of their startup files.
 *
 * Everything here is pure (no I/O): the dotfile texts are generated as strings, and the
 * line numbers that tests assert on (`LabInfo.lines`) are computed by searching those
 * same strings, so they can never drift from the files that are written.
 */
import { createHash } from 'node:crypto';

/** Login names of the lab accounts, keyed by role. */
export const LAB_USERS = {
  bash: 'elalice',
  zsh: 'elzoe',
  noisy: 'elnoisy',
  hang: 'elhang',
  huge: 'elhuge',
  fleet: 'elfleet',
  fleet2: 'elfleet2',
  fix: 'elfix',
  fixZsh: 'elfixz',
  faultExec: 'elexec',
  faultSetE: 'elsete',
  faultRead: 'elread',
  faultMega: 'elmega',
  faultCd: 'elcd',
  toolFix: 'eltoolfix',
  fish: 'elfish',
  reach: 'elreach',
  tools: 'eltools',
  toolHang: 'eltoolhang',
} as const;

/** A role of a lab account (`bash`, `zsh`, …). */
export type LabRole = keyof typeof LAB_USERS;

/** Where a line of interest lives: absolute file path and 1-based line number. */
export interface FileLine {
  file: string;
  line: number;
}

/** One lab account: who it is, which shell it logs in with and what its home holds. */
export interface AccountSpec {
  role: LabRole;
  user: string;
  /** Login shell; `zsh` is resolved by the caller (usually /usr/bin/zsh). */
  shell: string;
  home: string;
  /**
   * Startup files, keyed by path relative to the home directory. A string is the exact
   * content to write; `null` means the file must not exist (it is deleted if present).
   */
  files: Record<string, string | null>;
  /** Directories (relative to home) that must exist, e.g. `bin` so ~/.profile adds it to PATH. */
  dirs: string[];
  /** Named lines of interest in `files`, as [key, relative file, text the line starts with]. */
  marks: Array<[key: string, file: string, startsWith: string]>;
}

/**
 * Every per-user startup file a shell or session might read. Files of this list that an
 * account does not specify are deleted on each start, so leftovers from `useradd -m`
 * (/etc/skel) or from earlier test runs never change what a context sees.
 */
export const MANAGED_STARTUP_FILES = [
  '.profile', '.bash_profile', '.bash_login', '.bashrc', '.bash_logout',
  '.zshenv', '.zprofile', '.zshrc', '.zlogin', '.zlogout',
  '.ssh/environment', '.config/go/env', '.config/environment.d', '.config/fish/config.fish',
  '.gitconfig', '.npmrc', '.config/pip/pip.conf', 'bin/go',
] as const;

/** Number of `EL_Vnnnn` variables exported by the `huge` account. */
export const HUGE_VAR_COUNT = 3000;

/**
 * Size in bytes of `EL_BIG` exported by the `huge` account: 120 KiB. Linux refuses to
 * exec a process whose environment holds any single `NAME=value` string longer than
 * MAX_ARG_STRLEN (128 KiB), so a larger exported value would make every command of that
 * account fail with "Argument list too long".
 */
export const EL_BIG_BYTES = 120 * 1024;

/** Passphrase of the lab's encrypted client key. */
export const CLIENT_KEY_PASSPHRASE = 'envlens-lab-pass';

/** Values `elalice`'s ~/.bashrc exports above the guard, as the shell sees them (EL_BYTES aside). */
export const ALICE_ODD_VALUES = {
  EL_TOP: 'top',
  EL_NEWLINE: 'line1\nline2',
  EL_EQUALS: 'a=b=c',
  EL_SPACES: '  padded  ',
  EL_UNICODE: 'héllo ✓ 日本 🚀',
  EL_HTML: '<img src=x onerror=alert(1)>',
} as const;

/** The raw bytes of `EL_BYTES` (0xff 0xfe 'o' 'k': not valid UTF-8). */
export const EL_BYTES_VALUE: Uint8Array = Uint8Array.from([0xff, 0xfe, 0x6f, 0x6b]);

/** Values `elalice`'s ~/.bashrc exports BELOW the interactive guard (interactive shells only). */
export const ALICE_INTERACTIVE_VALUES = {
  GOPROXY: 'https://goproxy.cn,direct',
  http_proxy: 'http://proxy-a.lab:3128',
  HTTP_PROXY: 'http://proxy-b.lab:8080',
  NO_PROXY: 'localhost,127.0.0.1,.corp.example',
  no_proxy: 'localhost',
} as const;

/** SHA-256 as lowercase hex. */
function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The planted fake GitHub token (`ghp_` + 36 alphanumerics) in `elalice`'s ~/.bashrc,
 * derived deterministically so it is the same on every machine.
 */
export const LAB_GITHUB_TOKEN: string = (() => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha512').update('envlens-lab-github-token').digest();
  let out = 'ghp_';
  for (let i = 0; i < 36; i++) out += alphabet[digest[i % digest.length]! % alphabet.length];
  return out;
})();

/** Deterministic, distinct value of `EL_V<index>` (index 0…2999) in the `huge` account. */
export function hugeVarValue(index: number): string {
  return `huge-${String(index).padStart(4, '0')}-${sha256Hex(`envlens-lab-huge-${index}`).slice(0, 16)}`;
}

/** Name of the `index`-th huge variable: `EL_V0000` … `EL_V2999`. */
export function hugeVarName(index: number): string {
  return `EL_V${String(index).padStart(4, '0')}`;
}

/** Deterministic value of `EL_BIG`: a hex SHA-256 chain, exactly {@link EL_BIG_BYTES} long. */
export function bigValue(): string {
  const parts: string[] = [];
  let length = 0;
  let block = sha256Hex('envlens-lab-big');
  while (length < EL_BIG_BYTES) {
    parts.push(block);
    length += block.length;
    block = sha256Hex(block);
  }
  return parts.join('').slice(0, EL_BIG_BYTES);
}

/**
 * 1-based number of the single line of `text` that starts with `startsWith` (leading
 * whitespace ignored). Throws when no line or more than one line matches, so a line
 * number in LabInfo always points at exactly one place.
 */
export function lineOf(text: string, startsWith: string): number {
  const found: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trimStart().startsWith(startsWith)) found.push(i + 1);
  });
  if (found.length !== 1) {
    throw new Error(`expected exactly one line starting with ${JSON.stringify(startsWith)}, found ${found.length}`);
  }
  return found[0]!;
}

/** Joins lines with `\n` and ends the text with a newline. */
function text(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** Debian's interactive guard, as /etc/skel/.bashrc spells it. */
const GUARD = [
  '# If not running interactively, don\'t do anything',
  'case $- in',
  '    *i*) ;;',
  '      *) return;;',
  'esac',
];

/** The rest of a Debian-stock ~/.bashrc below the guard (trimmed, same shape). */
const STOCK_BASHRC_BODY = [
  '',
  '# don\'t put duplicate lines or lines starting with space in the history.',
  'HISTCONTROL=ignoreboth',
  '',
  '# append to the history file, don\'t overwrite it',
  'shopt -s histappend',
  '',
  '# for setting history length see HISTSIZE and HISTFILESIZE in bash(1)',
  'HISTSIZE=1000',
  'HISTFILESIZE=2000',
  '',
  '# check the window size after each command and, if necessary,',
  '# update the values of LINES and COLUMNS.',
  'shopt -s checkwinsize',
  '',
  '# set variable identifying the chroot you work in (used in the prompt below)',
  'if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then',
  '    debian_chroot=$(cat /etc/debian_chroot)',
  'fi',
  '',
  'PS1=\'${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ \'',
  '',
  '# some more ls aliases',
  'alias ll=\'ls -l\'',
  'alias la=\'ls -A\'',
  'alias l=\'ls -CF\'',
  '',
  'if [ -f ~/.bash_aliases ]; then',
  '    . ~/.bash_aliases',
  'fi',
  '',
  '# enable programmable completion features',
  'if ! shopt -oq posix; then',
  '  if [ -f /usr/share/bash-completion/bash_completion ]; then',
  '    . /usr/share/bash-completion/bash_completion',
  '  elif [ -f /etc/bash_completion ]; then',
  '    . /etc/bash_completion',
  '  fi',
  'fi',
];

/** Header of a Debian-stock ~/.bashrc. */
const BASHRC_HEADER = [
  '# ~/.bashrc: executed by bash(1) for non-login shells.',
  '# see /usr/share/doc/bash/examples/startup-files (in the package bash-doc)',
  '# for examples',
];

/** A Debian-stock ~/.profile (sources ~/.bashrc under bash, adds ~/bin and ~/.local/bin). */
function stockProfile(extra: string[] = [], preamble: string[] = []): string {
  return text(
    '# ~/.profile: executed by the command interpreter for login shells.',
    '# This file is not read by bash(1), if ~/.bash_profile or ~/.bash_login',
    '# exists.',
    '# see /usr/share/doc/bash/examples/startup-files for examples.',
    '# the files are located in the bash-doc package.',
    '',
    '# the default umask is set in /etc/profile; for setting the umask',
    '# for ssh logins, install and configure the libpam-umask package.',
    '#umask 022',
    ...preamble,
    '',
    '# if running bash',
    'if [ -n "$BASH_VERSION" ]; then',
    '    # include .bashrc if it exists',
    '    if [ -f "$HOME/.bashrc" ]; then',
    '\t. "$HOME/.bashrc"',
    '    fi',
    'fi',
    '',
    '# set PATH so it includes user\'s private bin if it exists',
    'if [ -d "$HOME/bin" ] ; then',
    '    PATH="$HOME/bin:$PATH"',
    'fi',
    '',
    '# set PATH so it includes user\'s private bin if it exists',
    'if [ -d "$HOME/.local/bin" ] ; then',
    '    PATH="$HOME/.local/bin:$PATH"',
    'fi',
    ...extra,
  );
}

/** A Debian-shaped ~/.bashrc: `top` lines above the guard, `bottom` lines appended at the end. */
function stockBashrc(top: string[], bottom: string[] = []): string {
  return text(...BASHRC_HEADER, '', ...top, '', ...GUARD, ...STOCK_BASHRC_BODY, ...bottom);
}

/** elalice: bash, Debian-stock dotfiles, odd values above the guard, proxies below it. */
function alice(home: string): AccountSpec {
  const profile = stockProfile(['', '# envlens test lab', 'export EL_PROFILE=profile']);
  const bashrc = stockBashrc(
    [
      '# envlens test lab: above the interactive guard, so every bash that reads this file',
      '# (ssh host cmd, login shells via ~/.profile, interactive shells) gets these.',
      'export EL_TOP=top',
      'export EL_NEWLINE=$\'line1\\nline2\'',
      'export EL_EQUALS=\'a=b=c\'',
      'export EL_SPACES=\'  padded  \'',
      `export EL_UNICODE='${ALICE_ODD_VALUES.EL_UNICODE}'`,
      'export EL_BYTES=$\'\\xff\\xfeok\'',
      'export EL_HTML=\'<img src=x onerror=alert(1)>\'',
      'elfn() { echo hi; }; export -f elfn',
    ],
    [
      '',
      '# Added later by hand, below the guard: only interactive shells ever see these.',
      `export GOPROXY=${ALICE_INTERACTIVE_VALUES.GOPROXY}`,
      `export http_proxy=${ALICE_INTERACTIVE_VALUES.http_proxy}`,
      `export HTTP_PROXY=${ALICE_INTERACTIVE_VALUES.HTTP_PROXY}`,
      `export NO_PROXY=${ALICE_INTERACTIVE_VALUES.NO_PROXY}`,
      `export no_proxy=${ALICE_INTERACTIVE_VALUES.no_proxy}`,
      'export PATH="$HOME/go/bin:$PATH"',
      `export GITHUB_TOKEN=${LAB_GITHUB_TOKEN}`,
    ],
  );
  return {
    role: 'bash', user: LAB_USERS.bash, shell: '/bin/bash', home, dirs: ['bin'],
    files: { '.profile': profile, '.bashrc': bashrc },
    marks: [
      ['aliceProfile', '.profile', 'export EL_PROFILE='],
      ['aliceProfileSourcesBashrc', '.profile', '. "$HOME/.bashrc"'],
      ['aliceTop', '.bashrc', 'export EL_TOP='],
      ['aliceNewline', '.bashrc', 'export EL_NEWLINE='],
      ['aliceEquals', '.bashrc', 'export EL_EQUALS='],
      ['aliceSpaces', '.bashrc', 'export EL_SPACES='],
      ['aliceUnicode', '.bashrc', 'export EL_UNICODE='],
      ['aliceBytes', '.bashrc', 'export EL_BYTES='],
      ['aliceHtml', '.bashrc', 'export EL_HTML='],
      ['aliceFunction', '.bashrc', 'elfn() {'],
      ['aliceGuard', '.bashrc', 'case $- in'],
      ['aliceGoproxy', '.bashrc', 'export GOPROXY='],
      ['aliceHttpProxy', '.bashrc', 'export http_proxy='],
      ['aliceHttpProxyUpper', '.bashrc', 'export HTTP_PROXY='],
      ['aliceNoProxyUpper', '.bashrc', 'export NO_PROXY='],
      ['aliceNoProxy', '.bashrc', 'export no_proxy='],
      ['alicePath', '.bashrc', 'export PATH='],
      ['aliceGithubToken', '.bashrc', 'export GITHUB_TOKEN='],
    ],
  };
}

/** elzoe's workspace folder (relative to its home), for `envlens capture --workspace ~/proj`. */
export const ZOE_WORKSPACE = 'proj';
const ZOE_WORKSPACE_SETTINGS = `${ZOE_WORKSPACE}/.vscode/settings.json`;
const ZOE_WORKSPACE_FILE = `${ZOE_WORKSPACE}/proj.code-workspace`;

/**
 * elzoe's VS Code remote machine settings (`~/.vscode-server/data/Machine/settings.json`,
 * written by the fake server install): JSON with line and block comments and trailing
 * commas, as people write them. `go.toolsEnvVars` gives gopls a GOPROXY the extension
 * host does not have; `terminal.integrated.env.linux` sets one variable and unsets
 * another (`null`); `http.proxy` applies because the fake extension host runs with
 * `--useHostProxy=false`; `terminal.integrated.inheritEnv` is application-scoped and
 * ignored here.
 */
export const ZOE_MACHINE_SETTINGS_TEXT = text(
  '// VS Code remote machine settings (envlens test lab, elzoe)',
  '{',
  '  /* Go extension: the environment of gopls and of the go commands it runs.',
  '     Applies on top of the extension host environment. */',
  '  "go.toolsEnvVars": {',
  '    "GOPROXY": "https://goproxy.vscode.lab,direct", // not in any shell file',
  '    "GOFLAGS": "-mod=mod",',
  '    "EL_TOOLS_HOME": "${env:HOME}/tools",',
  '  },',
  '  "terminal.integrated.env.linux": {',
  '    "EL_TERM": "set-by-vscode",',
  '    "EL_ZSHENV": null, // unset in integrated terminals',
  '  },',
  '  "http.proxy": "http://proxy.vscode.lab:3128",',
  '  "terminal.integrated.inheritEnv": false,',
  '}',
);

/** Named lines of {@link ZOE_MACHINE_SETTINGS_TEXT}, for LabInfo.lines. */
export const ZOE_MACHINE_SETTINGS_MARKS: Array<[key: string, startsWith: string]> = [
  ['zoeMachineGoproxy', '"GOPROXY"'],
  ['zoeMachineGoflags', '"GOFLAGS"'],
  ['zoeMachineToolsHome', '"EL_TOOLS_HOME"'],
  ['zoeMachineTerm', '"EL_TERM"'],
  ['zoeMachineTermUnset', '"EL_ZSHENV"'],
  ['zoeMachineHttpProxy', '"http.proxy"'],
  ['zoeMachineInheritEnv', '"terminal.integrated.inheritEnv"'],
];

/** elzoe's `~/proj/.vscode/settings.json`: the folder wins over the workspace file and the machine. */
const ZOE_FOLDER_SETTINGS_TEXT = text(
  '{',
  '  // folder settings: highest precedence',
  '  "go.toolsEnvVars": {',
  '    "GOFLAGS": "-mod=vendor",',
  '    "GOPATH": "${workspaceFolder}/.gopath",',
  '  },',
  '}',
);

/** elzoe's `~/proj/proj.code-workspace`: its `settings` block sits between machine and folder. */
const ZOE_CODE_WORKSPACE_TEXT = text(
  '{',
  '  "folders": [{ "path": "." }],',
  '  "settings": {',
  '    "go.toolsEnvVars": { "GOPROXY": "https://goproxy.workspace.lab,direct", "GOFLAGS": "-mod=readonly" },',
  '    /* machine-scoped: VS Code ignores it in a workspace */',
  '    "http.proxy": "http://ignored.workspace.lab:1",',
  '  },',
  '}',
);

/** elzoe: zsh; a ~/.profile zsh never reads, one export in each zsh startup file. */
function zoe(home: string, zshPath: string): AccountSpec {
  return {
    role: 'zsh', user: LAB_USERS.zsh, shell: zshPath, home, dirs: [],
    files: {
      '.profile': stockProfile([
        '', '# envlens test lab: zsh never reads this file',
        'export GOPROXY=https://proxy.zoe.lab,direct',
        'export EL_PROFILE_ONLY=1',
      ]),
      '.zshenv': text('# ~/.zshenv: read by every zsh (envlens test lab)', 'export EL_ZSHENV=1'),
      '.zprofile': text('# ~/.zprofile: read by zsh login shells (envlens test lab)', 'export EL_ZPROFILE=1'),
      '.zshrc': text(
        '# ~/.zshrc: read by interactive zsh (envlens test lab)',
        'HISTFILE=~/.zsh_history',
        'HISTSIZE=1000',
        'SAVEHIST=1000',
        'setopt appendhistory',
        'bindkey -e',
        'export EL_ZSHRC=1',
      ),
      '.zlogin': text('# ~/.zlogin: read by zsh login shells after ~/.zshrc (envlens test lab)', 'export EL_ZLOGIN=1'),
      '.bashrc': text('# ~/.bashrc: read by bash when elzoe starts one (envlens test lab)', 'export EL_ZOE_BASHRC=1'),
      // A workspace folder with VS Code settings (test/integration/vscode-settings.test.ts).
      [ZOE_WORKSPACE_SETTINGS]: ZOE_FOLDER_SETTINGS_TEXT,
      [ZOE_WORKSPACE_FILE]: ZOE_CODE_WORKSPACE_TEXT,
    },
    marks: [
      ['zoeFolderGoflags', ZOE_WORKSPACE_SETTINGS, '"GOFLAGS"'],
      ['zoeFolderGopath', ZOE_WORKSPACE_SETTINGS, '"GOPATH"'],
      ['zoeWorkspaceGoproxy', ZOE_WORKSPACE_FILE, '"go.toolsEnvVars"'],
      ['zoeWorkspaceHttpProxy', ZOE_WORKSPACE_FILE, '"http.proxy"'],
      ['zoeProfileGoproxy', '.profile', 'export GOPROXY='],
      ['zoeProfileOnly', '.profile', 'export EL_PROFILE_ONLY='],
      ['zoeZshenv', '.zshenv', 'export EL_ZSHENV='],
      ['zoeZprofile', '.zprofile', 'export EL_ZPROFILE='],
      ['zoeZshrc', '.zshrc', 'export EL_ZSHRC='],
      ['zoeZlogin', '.zlogin', 'export EL_ZLOGIN='],
      ['zoeBashrc', '.bashrc', 'export EL_ZOE_BASHRC='],
    ],
  };
}

/** A long line that looks like base64 (and decodes to a fake framing header). */
const BASE64_LOOKALIKE = Buffer.from(
  'ENVLENS BEGIN ' + 'deadbeef'.repeat(4) + '\n' + 'FAKE=1\0'.repeat(20),
).toString('base64');

/** elnoisy: bash whose ~/.profile and ~/.bashrc (above the guard) print junk everywhere. */
function noisy(home: string): AccountSpec {
  const profileNoise = [
    '',
    '# envlens test lab: noise printed by every login shell',
    'printf \'\\033[1;35m*** elnoisy ~/.profile says hello (stdout) ***\\033[0m\\n\'',
    'printf \'*** elnoisy ~/.profile warning (stderr) ***\\n\' >&2',
  ];
  const bashrcNoise = [
    '# envlens test lab: noise above the guard, printed by EVERY bash that reads this file,',
    '# including the non-interactive one sshd starts for `ssh host cmd`.',
    'printf \'\\033[1;32mWelcome to elnoisy!\\033[0m \\033[31mred\\033[0m \\033[4munderlined\\033[0m\\n\'',
    'printf \'\\033[33m[stderr] elnoisy: something looks odd\\033[0m\\n\' >&2',
    'printf \'\\000\\001\\377\\033[2J\'',
    'printf \'\\033]0;elnoisy title\\007\'',
    'printf \'carriage\\rreturn\\n\'',
    'printf \'ENVLENS BEGIN 0123456789abcdef\\n\'',
    'printf \'ENVLENS END 0123456789abcdef\\n\'',
    'printf \'=== END ===\\n\'',
    'printf \'__ENVLENS__\\n---\\n{"schema":"envlens.snapshot/v1"}\\n\'',
    `printf '%s\\n' '${BASE64_LOOKALIKE}'`,
    'printf \'FAKE_VAR=injected\\000EL_NOISY=hijacked\\000\'',
    'printf \'EL_NOISY=hijacked\\n\'',
    'printf \'ENVLENS BEGIN 0123456789abcdef\\n\' >&2',
    'el_i=0',
    'while [ "$el_i" -lt 48 ]; do',
    '  printf \'elnoisy filler %02d: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\\n\' "$el_i"',
    '  el_i=$((el_i + 1))',
    'done',
    'el_i=0',
    'while [ "$el_i" -lt 8 ]; do',
    '  printf \'elnoisy stderr filler %02d: warning: this is not an error, just noise.\\n\' "$el_i" >&2',
    '  el_i=$((el_i + 1))',
    'done',
    'unset el_i',
    'printf \'a partial line with no newline at the end\'',
    'export EL_NOISY=survived',
  ];
  return {
    role: 'noisy', user: LAB_USERS.noisy, shell: '/bin/bash', home, dirs: [],
    files: { '.profile': stockProfile([], profileNoise), '.bashrc': stockBashrc(bashrcNoise) },
    marks: [['noisyBashrc', '.bashrc', 'export EL_NOISY=']],
  };
}

/** elhang: bash whose ~/.bash_profile sleeps 600 s, so every login shell hangs. */
function hang(home: string): AccountSpec {
  return {
    role: 'hang', user: LAB_USERS.hang, shell: '/bin/bash', home, dirs: [],
    files: {
      '.bash_profile': text(
        '# ~/.bash_profile: read by bash login shells instead of ~/.profile.',
        '# envlens test lab: blocks like a profile waiting on a dead NFS mount or a prompt.',
        'sleep 600',
        'export EL_HANG=after',
        'if [ -f "$HOME/.bashrc" ]; then',
        '    . "$HOME/.bashrc"',
        'fi',
      ),
      '.bashrc': stockBashrc(['# envlens test lab: non-login shells are fine', 'export EL_HANG_RC=ok']),
    },
    marks: [
      ['hangSleep', '.bash_profile', 'sleep 600'],
      ['hangBashProfile', '.bash_profile', 'export EL_HANG='],
      ['hangRc', '.bashrc', 'export EL_HANG_RC='],
    ],
  };
}

/** elhuge: bash whose ~/.bashrc exports 3000 variables and one 120 KiB value. */
function huge(home: string): AccountSpec {
  const exports: string[] = [];
  for (let i = 0; i < HUGE_VAR_COUNT; i++) exports.push(`export ${hugeVarName(i)}='${hugeVarValue(i)}'`);
  const bashrc = stockBashrc([
    `# envlens test lab: ${HUGE_VAR_COUNT} variables and one ${EL_BIG_BYTES}-byte value, above the guard`,
    ...exports,
    `export EL_BIG='${bigValue()}'`,
  ]);
  return {
    role: 'huge', user: LAB_USERS.huge, shell: '/bin/bash', home, dirs: [],
    files: { '.profile': stockProfile(), '.bashrc': bashrc },
    marks: [
      ['hugeFirst', '.bashrc', `export ${hugeVarName(0)}=`],
      ['hugeLast', '.bashrc', `export ${hugeVarName(HUGE_VAR_COUNT - 1)}=`],
      ['hugeBig', '.bashrc', 'export EL_BIG='],
    ],
  };
}

/** elfleet: plain Debian dotfiles with GOPROXY and EL_FLEET above the guard. */
function fleet(home: string): AccountSpec {
  return {
    role: 'fleet', user: LAB_USERS.fleet, shell: '/bin/bash', home, dirs: [],
    files: {
      '.profile': stockProfile(),
      '.bashrc': stockBashrc([
        '# envlens test lab: the same on every fleet host',
        'export GOPROXY=https://proxy.golang.org,direct',
        'export EL_FLEET=1',
      ]),
    },
    marks: [
      ['fleetGoproxy', '.bashrc', 'export GOPROXY='],
      ['fleetMarker', '.bashrc', 'export EL_FLEET='],
      ['fleetGuard', '.bashrc', 'case $- in'],
    ],
  };
}

/**
 * elfleet2: elfleet's dotfiles with another GOPROXY, the fleet's outlier: point it at one
 * address (`elfleet2@127.0.0.13`) among elfleet on the others.
 */
function fleet2(home: string): AccountSpec {
  return {
    role: 'fleet2', user: LAB_USERS.fleet2, shell: '/bin/bash', home, dirs: [],
    files: {
      '.profile': stockProfile(),
      '.bashrc': stockBashrc([
        '# envlens test lab: the fleet outlier (GOPROXY differs from elfleet)',
        'export GOPROXY=https://goproxy.io,direct',
        'export EL_FLEET=1',
      ]),
    },
    marks: [['fleet2Goproxy', '.bashrc', 'export GOPROXY=']],
  };
}

/** What the fix accounts export, and where (test/integration/fix.test.ts). */
export const FIX_VALUES = {
  /** elfix: below the guard of ~/.bashrc, so only interactive shells have it. */
  GOPROXY: 'https://goproxy.cn,direct',
  /** elfix: below the guard, the two spellings disagree. */
  http_proxy: 'http://proxy-a.lab:3128',
  HTTP_PROXY: 'http://proxy-b.lab:8080',
  /** elfixz: in ~/.profile, which zsh never reads. */
  zshGoproxy: 'https://proxy.fixz.lab,direct',
} as const;

/**
 * elfix: bash, Debian-stock dotfiles, GOPROXY and disagreeing proxies below the guard.
 * Reserved for the fix tests, which rewrite its files before each test (symlinked and
 * mode-600 ~/.bashrc variants included) and undo what they apply.
 */
function fixBash(home: string): AccountSpec {
  return {
    role: 'fix', user: LAB_USERS.fix, shell: '/bin/bash', home, dirs: [],
    files: {
      '.profile': stockProfile(),
      '.bashrc': stockBashrc(
        ['# envlens test lab: fix tests (test/integration/fix.test.ts)', 'export EL_FIX=1'],
        [
          '',
          '# Added later by hand, below the guard: only interactive shells ever see these.',
          `export GOPROXY=${FIX_VALUES.GOPROXY}`,
          `export http_proxy=${FIX_VALUES.http_proxy}`,
          `export HTTP_PROXY=${FIX_VALUES.HTTP_PROXY}`,
        ],
      ),
    },
    marks: [
      ['fixGuard', '.bashrc', 'case $- in'],
      ['fixGoproxy', '.bashrc', 'export GOPROXY='],
      ['fixHttpProxyUpper', '.bashrc', 'export HTTP_PROXY='],
    ],
  };
}

/** elfixz: zsh with GOPROXY only in ~/.profile (never read by zsh). Reserved for the fix tests. */
function fixZsh(home: string, zshPath: string): AccountSpec {
  return {
    role: 'fixZsh', user: LAB_USERS.fixZsh, shell: zshPath, home, dirs: [],
    files: {
      '.profile': stockProfile(['', '# envlens test lab: zsh never reads this file', `export GOPROXY=${FIX_VALUES.zshGoproxy}`]),
      '.zshenv': text('# ~/.zshenv: read by every zsh (envlens test lab)', 'export EL_FIXZ_ZSHENV=1'),
      '.zshrc': text('# ~/.zshrc: read by interactive zsh (envlens test lab)', 'export EL_FIXZ_ZSHRC=1'),
    },
    marks: [['fixzProfileGoproxy', '.profile', 'export GOPROXY=']],
  };
}

/** What eltoolfix's go env file, ~/.bashrc and ~/.gitconfig say (test/integration/tool-fix.test.ts). */
export const TOOLFIX_VALUES = {
  /** ~/.config/go/env (what `go env -w` wrote): every context's go reads it. */
  goEnvGoproxy: 'https://goproxy.cn,direct',
  /** Below the guard of ~/.bashrc: interactive shells export it, and it wins over the go env file there. */
  interactiveGoproxy: 'https://proxy.golang.org,direct',
  /** ~/.gitconfig http.proxy. */
  gitProxy: 'http://proxy.toolfix.lab:3128',
} as const;

/**
 * eltoolfix: bash, Debian-stock dotfiles, a go env file saying one GOPROXY and an
 * interactive-only export of another, and a git http.proxy. Reserved for the tool-native
 * fix tests (`go env -w`, `git config --global`), which reset it before each test and
 * undo what they apply. The files are written in the tools' own layout, so a tool's
 * undo gives the same bytes back.
 */
function toolFix(home: string): AccountSpec {
  return {
    role: 'toolFix', user: LAB_USERS.toolFix, shell: '/bin/bash', home, dirs: [],
    files: {
      '.profile': stockProfile(),
      '.bashrc': stockBashrc(
        ['# envlens test lab: tool-native fix tests (test/integration/tool-fix.test.ts)'],
        ['', '# Interactive shells only: overrides the go env file there.', `export GOPROXY=${TOOLFIX_VALUES.interactiveGoproxy}`],
      ),
      '.config/go/env': `GOPROXY=${TOOLFIX_VALUES.goEnvGoproxy}\n`,
      '.gitconfig': `[user]\n\tname = eltoolfix\n[http]\n\tproxy = ${TOOLFIX_VALUES.gitProxy}\n`,
    },
    marks: [['toolfixGoproxy', '.bashrc', 'export GOPROXY=']],
  };
}

/** Bytes each of elmega's startup-file writes prints, on stdout and again on stderr: 5 MiB. */
export const MEGA_OUTPUT_BYTES = 5 * 1024 * 1024;

/**
 * The reliability fault accounts (test/integration/faults.test.ts, docs/reliability.md):
 * bash accounts with Debian-stock dotfiles plus one hostile habit each, and a marker
 * export `EL_<NAME>=ok` above the guard that tells whether a context read the file.
 */
function faultAccount(role: LabRole, home: string, top: string[], bottom: string[] = []): AccountSpec {
  return {
    role, user: LAB_USERS[role], shell: '/bin/bash', home, dirs: [],
    files: { '.profile': stockProfile(), '.bashrc': stockBashrc(['# envlens test lab: reliability fault (test/integration/faults.test.ts)', ...top], bottom) },
    marks: [],
  };
}

/** elexec: ~/.bashrc replaces every interactive bash with zsh (`exec zsh` below the guard). */
const faultExec = (home: string): AccountSpec =>
  faultAccount('faultExec', home, ['export EL_EXEC=ok'], ['', '# "I prefer zsh": replaces the interactive bash', 'exec zsh']);
/** elsete: ~/.bashrc turns on `set -e` and then runs a failing command above the guard. */
const faultSetE = (home: string): AccountSpec =>
  faultAccount('faultSetE', home, ['export EL_SETE=before', 'set -e', 'false', 'export EL_SETE=after']);
/** elread: ~/.bashrc reads a line from stdin above the guard (a prompt nobody answers). */
const faultRead = (home: string): AccountSpec =>
  faultAccount('faultRead', home, ['printf "Your name? " >&2', 'read -r el_answer', 'export EL_READ=ok']);
/** elmega: ~/.bashrc prints 5 MiB to stdout and 5 MiB to stderr above the guard. */
const faultMega = (home: string): AccountSpec =>
  faultAccount('faultMega', home, [
    `head -c ${MEGA_OUTPUT_BYTES} /dev/zero | tr '\\0' x`,
    `head -c ${MEGA_OUTPUT_BYTES} /dev/zero | tr '\\0' y >&2`,
    'export EL_MEGA=ok',
  ]);
/** elcd: ~/.bashrc changes directory (to /tmp, then a directory that does not exist) above the guard. */
const faultCd = (home: string): AccountSpec =>
  faultAccount('faultCd', home, ['cd /tmp', 'cd /nonexistent-envlens-dir 2>/dev/null', 'export EL_CD=ok']);

/** elfish's values (test/integration/faults.test.ts "fish as login shell"). */
export const FISH_VALUES = {
  /** Directory config.fish puts in front of PATH with `set -gx PATH`. */
  pathDir: '.fishbin',
} as const;

/**
 * elfish: login shell /usr/bin/fish, which is not POSIX. ~/.config/fish/config.fish (read
 * by every fish) sets one variable always, one only under `status is-login`, one only
 * under `status is-interactive`, and prepends a directory to PATH with `set -gx PATH`.
 * ~/.profile and ~/.bashrc (Debian-stock, which fish never reads) export their own
 * markers, so bash contexts visibly differ from fish ones.
 */
function fishAccount(home: string): AccountSpec {
  return {
    role: 'fish', user: LAB_USERS.fish, shell: '/usr/bin/fish', home, dirs: [FISH_VALUES.pathDir],
    files: {
      '.config/fish/config.fish': text(
        '# ~/.config/fish/config.fish: read by every fish (envlens test lab)',
        'set -gx EL_FISH_ALL 1',
        `set -gx PATH $HOME/${FISH_VALUES.pathDir} $PATH`,
        'if status is-login',
        '    set -gx EL_FISH_LOGIN 1',
        'end',
        'if status is-interactive',
        '    set -gx EL_FISH_INTERACTIVE 1',
        'end',
      ),
      '.profile': stockProfile(['', '# envlens test lab: fish never reads this file', 'export EL_FISH_PROFILE=1']),
      '.bashrc': stockBashrc(['# envlens test lab: fish never reads this file; bash -i does', 'export EL_FISH_BASHRC=1']),
    },
    marks: [['fishConfigLogin', '.config/fish/config.fish', 'set -gx EL_FISH_LOGIN'], ['fishConfigInteractive', '.config/fish/config.fish', 'set -gx EL_FISH_INTERACTIVE']],
  };
}

/**
 * What elreach's startup files export (envlens reach, test/integration/reach.test.ts).
 * Ports are the lab's reach stubs (test-lab/reach-stub.ts): 22180 answers (proxy and
 * mirror), 22181 never answers, 22182 answers 407; 9 refuses. Host names under `.lab`
 * are only ever sent to the stub as proxy requests, never resolved.
 */
export const REACH_VALUES = {
  /** ~/.profile, before it sources ~/.bashrc: login shells get a dead proxy (refused). */
  loginProxy: 'http://127.0.0.1:9',
  /** GOPROXY everywhere (profile and below the guard): a lab name, fetched through the proxy. */
  GOPROXY: 'http://goproxy.reach.lab,direct',
  /** Below the guard (interactive shells): the stub that answers. */
  http_proxy: 'http://127.0.0.1:22180',
  /** Below the guard: a proxy that never answers (timeout). */
  https_proxy: 'http://127.0.0.1:22181',
  /** Below the guard: a proxy that answers 407. */
  ALL_PROXY: 'http://127.0.0.1:22182',
  /** Below the guard: the NO_PROXY case; pip's index on localhost goes direct. */
  no_proxy: 'localhost',
  PIP_INDEX_URL: 'http://localhost:22180/simple/',
  /** Below the guard: npm uses https_proxy even for http:// registries, so this one goes through the silent proxy. */
  npm_config_registry: 'http://registry.reach.lab/',
} as const;

/** elreach: login shells point at a dead proxy, interactive shells at the lab's reach stubs. */
function reachAccount(home: string): AccountSpec {
  return {
    role: 'reach', user: LAB_USERS.reach, shell: '/bin/bash', home, dirs: [],
    files: {
      '.profile': stockProfile([], ['', '# envlens test lab: login shells get a proxy nothing listens on', `export http_proxy=${REACH_VALUES.loginProxy}`, `export GOPROXY=${REACH_VALUES.GOPROXY}`]),
      '.bashrc': stockBashrc(
        ['# envlens test lab: reachability (test/integration/reach.test.ts)', 'export EL_REACH=1'],
        [
          '',
          '# Interactive shells: the lab reach stubs (test-lab/reach-stub.ts).',
          `export http_proxy=${REACH_VALUES.http_proxy}`,
          `export https_proxy=${REACH_VALUES.https_proxy}`,
          `export ALL_PROXY=${REACH_VALUES.ALL_PROXY}`,
          `export GOPROXY=${REACH_VALUES.GOPROXY}`,
          `export no_proxy=${REACH_VALUES.no_proxy}`,
          `export PIP_INDEX_URL=${REACH_VALUES.PIP_INDEX_URL}`,
          `export npm_config_registry=${REACH_VALUES.npm_config_registry}`,
        ],
      ),
    },
    marks: [['reachLoginProxy', '.profile', 'export http_proxy='], ['reachHttpProxy', '.bashrc', 'export http_proxy=']],
  };
}

/** What eltools's tool config files and ~/.bashrc say (test/integration/tools.test.ts). Hostnames are fake. */
export const TOOLS_VALUES = {
  /** ~/.config/go/env, as `go env -w GOPROXY=… GOPRIVATE=…` writes it. */
  goEnvGoproxy: 'https://goproxy.cn,direct',
  goEnvGoprivate: 'git.corp.lab/*',
  /** Exported below the interactive guard of ~/.bashrc: interactive shells disagree with the go env file. */
  interactiveGoproxy: 'https://proxy.golang.org,direct',
  /** ~/.gitconfig [http] proxy and sslCAInfo. */
  gitProxy: 'http://gitproxy.lab:3128',
  gitCaInfo: '/etc/ssl/certs/corp-lab-ca.pem',
  /** ~/.npmrc proxy, https-proxy, registry. */
  npmProxy: 'http://npmproxy.lab:3128',
  npmHttpsProxy: 'http://npmproxy.lab:3129',
  npmRegistry: 'https://registry.corp.lab/npm/',
  /** npm_config_registry, exported below the guard: npm's registry comes from the environment there. */
  interactiveNpmRegistry: 'https://npm.interactive.lab/',
  /** ~/.config/pip/pip.conf [global] proxy and index-url. */
  pipProxy: 'http://pipproxy.lab:3128',
  pipIndexUrl: 'https://pypi.corp.lab/simple/',
} as const;

/**
 * eltools: bash, Debian-stock dotfiles, and each tool's own config: a go env file (what
 * `go env -w` writes) that interactive shells override with an export below the guard,
 * ~/.gitconfig, ~/.npmrc (npm_config_registry exported below the guard too) and pip.conf.
 */
function toolsAccount(home: string): AccountSpec {
  const v = TOOLS_VALUES;
  return {
    role: 'tools', user: LAB_USERS.tools, shell: '/bin/bash', home, dirs: [],
    files: {
      '.profile': stockProfile(),
      '.bashrc': stockBashrc(
        ['# envlens test lab: tool views (test/integration/tools.test.ts)'],
        [
          '',
          '# Interactive shells only: override the go env file and ~/.npmrc there.',
          `export GOPROXY=${v.interactiveGoproxy}`,
          `export npm_config_registry=${v.interactiveNpmRegistry}`,
        ],
      ),
      '.config/go/env': `GOPROXY=${v.goEnvGoproxy}\nGOPRIVATE=${v.goEnvGoprivate}\n`,
      '.gitconfig': `[user]\n\tname = eltools\n[http]\n\tproxy = ${v.gitProxy}\n\tsslCAInfo = ${v.gitCaInfo}\n`,
      '.npmrc': `proxy=${v.npmProxy}\nhttps-proxy=${v.npmHttpsProxy}\nregistry=${v.npmRegistry}\n`,
      '.config/pip/pip.conf': `[global]\nproxy = ${v.pipProxy}\nindex-url = ${v.pipIndexUrl}\n`,
    },
    marks: [['toolsGoproxy', '.bashrc', 'export GOPROXY='], ['toolsGoEnvGoprivate', '.config/go/env', 'GOPRIVATE=']],
  };
}

/**
 * eltoolhang: login shells put ~/bin first on PATH (stock ~/.profile), where a `go` that
 * never answers waits; interactive shells set a PATH without any tool (`unavailable`).
 */
function toolHangAccount(home: string): AccountSpec {
  return {
    role: 'toolHang', user: LAB_USERS.toolHang, shell: '/bin/bash', home, dirs: ['bin'],
    files: {
      '.profile': stockProfile(),
      '.bashrc': stockBashrc(
        ['# envlens test lab: a hanging and a missing tool (test/integration/tools.test.ts)'],
        ['', '# Interactive shells only: no directory with go, git, npm or pip.', 'export PATH=/usr/lib/eltoolhang-none'],
      ),
      'bin/go': '#!/bin/sh\n# envlens test lab: a go that never answers (and starts a child)\nsleep 300 &\nsleep 301\n',
    },
    marks: [],
  };
}

/**
 * The lab accounts with their full dotfile texts. `homeOf` maps a login name to its
 * home directory (normally `/home/<user>`); `zshPath` is the zsh binary to log in with.
 */
export function labAccounts(homeOf: (user: string) => string, zshPath: string): AccountSpec[] {
  const specs = [
    alice(homeOf(LAB_USERS.bash)),
    zoe(homeOf(LAB_USERS.zsh), zshPath),
    noisy(homeOf(LAB_USERS.noisy)),
    hang(homeOf(LAB_USERS.hang)),
    huge(homeOf(LAB_USERS.huge)),
    fleet(homeOf(LAB_USERS.fleet)),
    fleet2(homeOf(LAB_USERS.fleet2)),
    fixBash(homeOf(LAB_USERS.fix)),
    fixZsh(homeOf(LAB_USERS.fixZsh), zshPath),
    faultExec(homeOf(LAB_USERS.faultExec)),
    faultSetE(homeOf(LAB_USERS.faultSetE)),
    faultRead(homeOf(LAB_USERS.faultRead)),
    faultMega(homeOf(LAB_USERS.faultMega)),
    faultCd(homeOf(LAB_USERS.faultCd)),
    toolFix(homeOf(LAB_USERS.toolFix)),
    fishAccount(homeOf(LAB_USERS.fish)),
    reachAccount(homeOf(LAB_USERS.reach)),
    toolsAccount(homeOf(LAB_USERS.tools)),
    toolHangAccount(homeOf(LAB_USERS.toolHang)),
  ];
  for (const spec of specs) {
    for (const name of MANAGED_STARTUP_FILES) {
      if (!(name in spec.files)) spec.files[name] = null;
    }
  }
  return specs;
}

/** Resolves every account's `marks` to absolute file paths and line numbers. */
export function computeLines(accounts: AccountSpec[]): Record<string, FileLine> {
  const lines: Record<string, FileLine> = {};
  for (const account of accounts) {
    for (const [key, file, startsWith] of account.marks) {
      const content = account.files[file];
      if (typeof content !== 'string') throw new Error(`${account.user}: mark ${key} points at missing file ${file}`);
      if (key in lines) throw new Error(`duplicate line key ${key}`);
      lines[key] = { file: `${account.home}/${file}`, line: lineOf(content, startsWith) };
    }
  }
  return lines;
}
