import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXtrace } from './xtrace';

// Fixtures were produced by running the real shells here (bash 5.2.15, zsh 5.9, Debian 12)
// as user `nobody` with HOME=/tmp/elhome, e.g.
//   runuser -u nobody -- env -i HOME=/tmp/elhome PATH=/usr/bin:/bin \
//     'PS4=+ELTRACE5f3a9c1e|${BASH_SOURCE:-}|${LINENO}| ' BASH_XTRACEFD=7 \
//     BASH_ENV=/tmp/elhome/syntax-rc bash -x -c 'export Z=cmd; true' 7>bash-syntax.trace
// and for zsh `PS4='+ELTRACE5f3a9c1e|%x|%I| ' zsh -l -i -x -c true 2>zsh-login-interactive.trace`.
// bash-root.trace is the same bash run as root: bash ignores PS4 from the environment.
const MARKER = '5f3a9c1e';
const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./__fixtures__/xtrace/${name}`, import.meta.url)), 'utf8');
const where = (refs: { file: string; line: number }[] | undefined): string[] => (refs ?? []).map((r) => `${r.file}:${r.line}`);

describe('parseXtrace on real bash traces', () => {
  const syntax = parseXtrace(fixture('bash-syntax.trace'), { marker: MARKER, shell: 'bash' });

  it('records `export A=1` once although bash also traces `A=1`, then `export A B`', () => {
    expect(where(syntax.A)).toEqual(['/tmp/elhome/syntax-rc:1', '/tmp/elhome/syntax-rc:8']);
  });
  it('records a bare assignment', () => {
    expect(where(syntax.B)).toEqual(['/tmp/elhome/syntax-rc:2', '/tmp/elhome/syntax-rc:8']);
  });
  it("reads the name from a quoted word: export 'C=x y'", () => {
    expect(where(syntax.C)).toEqual(['/tmp/elhome/syntax-rc:3']);
  });
  it('joins a multi-line quoted value and keeps parsing after it', () => {
    expect([where(syntax.D), where(syntax.E)]).toEqual([['/tmp/elhome/syntax-rc:5'], ['/tmp/elhome/syntax-rc:6']]);
  });
  it('records typeset -x', () => {
    expect(where(syntax.F)).toEqual(['/tmp/elhome/syntax-rc:7']);
  });
  it('ignores local variables', () => {
    expect(syntax.L).toBeUndefined();
  });
  it('records an export made inside a function', () => {
    expect(where(syntax.G)).toEqual(['/tmp/elhome/syntax-rc:9']);
  });
  it('ignores an assignment that only prefixes a command (X=1 true)', () => {
    expect(syntax.X).toBeUndefined();
  });
  it("handles bash's '\\'' quoting", () => {
    expect(where(syntax.I)).toEqual(['/tmp/elhome/syntax-rc:14']);
  });
  it('records exports run through eval', () => {
    expect(where(syntax.M)).toEqual(['/tmp/elhome/syntax-rc:17']);
  });
  it('attributes assignments in a sourced file to that file', () => {
    expect(where(syntax.N)).toEqual(['/tmp/elhome/sourced:1']);
  });
  it('ignores the -c command string (empty BASH_SOURCE)', () => {
    expect(syntax.Z).toBeUndefined();
  });
  it('marks every reference as kind set', () => {
    expect(new Set(Object.values(syntax).flat().map((r) => r.kind))).toEqual(new Set(['set']));
  });

  const login = parseXtrace(fixture('bash-login-interactive.trace'), { marker: MARKER, shell: 'bash' });
  it('follows PATH through /etc/profile, ~/.bashrc and ~/.profile; the last one is effective', () => {
    expect(where(login.PATH)).toEqual(['/etc/profile:7', '/etc/profile:9', '/tmp/elhome/.bashrc:15', '/tmp/elhome/.profile:8']);
  });
  it('finds a variable exported below the interactive guard', () => {
    expect(where(login.GOPROXY)).toEqual(['/tmp/elhome/.bashrc:9', '/tmp/elhome/.bashrc:14']);
  });

  it('sees only what is above the guard in a non-interactive shell', () => {
    const ssh = parseXtrace(fixture('bash-ssh-command.trace'), { marker: MARKER, shell: 'bash' });
    expect(Object.keys(ssh).sort()).toEqual(['HTTPS_PROXY', 'http_proxy']);
  });

  it('returns {} for bash running as root, which prints "+ " instead of our PS4', () => {
    expect(parseXtrace(fixture('bash-root.trace'), { marker: MARKER, shell: 'bash' })).toEqual({});
  });

  it('returns {} when the marker is a different run', () => {
    expect(parseXtrace(fixture('bash-syntax.trace'), { marker: 'deadbeef', shell: 'bash' })).toEqual({});
  });
});

describe('parseXtrace on real zsh traces (stderr mixed with other output)', () => {
  const syntax = parseXtrace(fixture('zsh-syntax.trace'), { marker: MARKER, shell: 'zsh' });

  it("reads zsh's $'…' quoting of multi-line values", () => {
    expect(where(syntax.ZD)).toEqual(['/tmp/elhome/zsyntax:4']);
  });
  it('maps the tied array path+=(…) to PATH', () => {
    expect(where(syntax.PATH)).toEqual(['/tmp/elhome/zsyntax:8']);
  });
  it('ignores X=1 when zsh traces the command on the same line', () => {
    expect(syntax.X).toBeUndefined();
  });
  it('finds a record that follows output without a newline', () => {
    expect(where(syntax.ZG)).toEqual(['/tmp/elhome/zsyntax:13']);
  });
  it('ignores records of the -c string (file "zsh")', () => {
    expect(syntax.Z).toBeUndefined();
  });

  const login = parseXtrace(fixture('zsh-login-interactive.trace'), { marker: MARKER, shell: 'zsh' });
  it('attributes variables to .zshenv, .zprofile and .zshrc', () => {
    expect([where(login.ZDOTENV), where(login.GOPATH), where(login.GOPROXY)]).toEqual([
      ['/tmp/elhome/.zshenv:1'],
      ['/tmp/elhome/.zprofile:1'],
      ['/tmp/elhome/.zshrc:3'],
    ]);
  });
  it('ignores locals of functions in /etc/zsh/zshrc', () => {
    expect(login.sequence).toBeUndefined();
  });
});

describe('parseXtrace edge cases', () => {
  const opts = { marker: 'm1', shell: 'bash' as const };
  it('resolves ~/ and relative files against home', () => {
    const r = parseXtrace('+ELTRACEm1|.bash_aliases|3| export A=1\n+ELTRACEm1|~/.bashrc|4| export B=1\n', { ...opts, home: '/home/al' });
    expect([where(r.A), where(r.B)]).toEqual([['/home/al/.bash_aliases:3'], ['/home/al/.bashrc:4']]);
  });
  it('ignores export -n, export -f and export -p', () => {
    const r = parseXtrace('+ELTRACEm1|/r|1| export -n A\n+ELTRACEm1|/r|2| export -f f\n+ELTRACEm1|/r|3| export -p\n', opts);
    expect(r).toEqual({});
  });
  it('records declare -gx and readonly with a value', () => {
    const r = parseXtrace('+ELTRACEm1|/r|1| declare -gx A=1\n+ELTRACEm1|/r|2| readonly B=2\n', opts);
    expect(Object.keys(r)).toEqual(['A', 'B']);
  });
  it('drops a quoted value that is still open when a new record starts', () => {
    const r = parseXtrace("+ELTRACEm1|/r|1| export 'A=open\n+ELTRACEm1|/r|2| export B=1\n", opts);
    expect(Object.keys(r)).toEqual(['B']);
  });
  it('ignores ANSI junk lines and a marker-less "+ " trace', () => {
    const r = parseXtrace('\u001b[31mwelcome\u001b[0m\n+ export A=1\n', opts);
    expect(r).toEqual({});
  });
  it('returns an object without prototype, so "constructor" is not found', () => {
    const r = parseXtrace('+ELTRACEm1|/r|1| export A=1\n', opts);
    expect(r.constructor).toBeUndefined();
  });
  it('never throws, on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom<'bash' | 'zsh'>('bash', 'zsh'), (junk, shell) => {
        parseXtrace(junk, { marker: 'm1', shell });
        parseXtrace(`+ELTRACEm1|/f|1| ${junk}\n${junk}+ELTRACEm1|${junk}|2| export ${junk}`, { marker: 'm1', shell, home: '/h' });
      }),
      { numRuns: 500 },
    );
  });
  it('never throws on records built from shell-ish fragments', () => {
    const piece = fc.constantFrom("'", '"', "$'", '\\', '=', 'A=', 'export ', '(', ')', ' ', '\n', '+ELTRACEm1|/f|1| ', '|', 'x', '-x ', 'path+=( ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const r = parseXtrace(parts.join(''), { marker: 'm1', shell: 'zsh' });
        expect(typeof r).toBe('object');
      }),
      { numRuns: 500 },
    );
  });
});
