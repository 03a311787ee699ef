import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextId, ContextResult, ToolView } from '../shared/model';
import { restoreDisabled } from './fix-blocks';
import { ENVIRONMENT_D_FILE, commandLine, planFix, resolveFixRequest, toolSetArgv, type FixPlan, type FixPlanInput, type FixStrategy } from './fix-plan';
import { verifyFix } from './fix-verify';
import { makeSnapshot } from './test-snapshot';

const HOME = '/home/tina';
const GUARD = "# If not running interactively, don't do anything\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\n";
const PROFILE = '# ~/.profile\nif [ -n "$BASH_VERSION" ]; then\n    if [ -f "$HOME/.bashrc" ]; then\n\t. "$HOME/.bashrc"\n    fi\nfi\n';
const CN = 'https://goproxy.cn,direct';
const ORG = 'https://proxy.golang.org,direct';
const BASHRC = `# ~/.bashrc\n${GUARD}HISTSIZE=1000\nexport GOPROXY=${ORG}\n`;
const base = { HOME, USER: 'tina', PATH: '/usr/bin:/bin' };
const GOENV = `${HOME}/.config/go/env`;

const goView = (value: string, origin: string): ToolView => ({ status: 'ok', path: '/usr/bin/go', version: 'go1.19.8', settings: { GOPROXY: { value, origin, ...(origin === 'environment' ? { variable: 'GOPROXY' } : { line: 1 }) } } });
const gitView: ToolView = { status: 'ok', path: '/usr/bin/git', settings: { 'http.proxy': { value: 'http://old:3128', origin: `${HOME}/.gitconfig`, line: 2 } } };
const ctx = (env: Record<string, string>, tools: Record<string, ToolView>): ContextResult => ({ status: 'ok', env, tools });

/** eltoolfix as captured: go env file says goproxy.cn, interactive shells export proxy.golang.org. */
function snapshot(over: Partial<Record<ContextId, ContextResult>> = {}) {
  const plain = ctx(base, { go: goView(CN, GOENV), git: gitView });
  const inter = ctx({ ...base, GOPROXY: ORG }, { go: goView(ORG, 'environment'), git: gitView });
  return makeSnapshot(
    { 'ssh-command': plain, login: plain, 'login-interactive': inter, 'bash-interactive': inter, 'vscode-resolved': inter, ...over },
    { host: { shell: '/bin/bash', shells: { bash: '/usr/bin/bash' } } },
  );
}

const files = (over: Record<string, string | null> = {}): Record<string, string | null> => ({
  '.bashrc': BASHRC, '.profile': PROFILE, '.bash_profile': null, '.bash_login': null, '.zshenv': null, '.zprofile': null, '.zshrc': null, '.zlogin': null, [ENVIRONMENT_D_FILE]: null, '.config/go/env': `GOPROXY=${CN}\n`, ...over,
});

function plan(variable: string, value: string | undefined, over: Partial<FixPlanInput> = {}): FixPlan {
  const snap = over.snapshot ?? snapshot();
  const f = over.files ?? files();
  const request = resolveFixRequest(snap, { variable, ...(value !== undefined ? { value } : {}) }, f);
  if (!request.ok) throw new Error(request.problem);
  return planFix({ snapshot: snap, home: HOME, variable, assignments: request.assignments, contexts: request.contexts, files: f, tools: over.tools ?? { go: true, goEnvFile: '.config/go/env' }, ...(over.locked ? { locked: over.locked } : {}) });
}
const strategy = (p: FixPlan, id: string): FixStrategy => {
  const s = p.strategies.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id} in ${p.strategies.map((x) => x.id).join(',')}`);
  return s;
};
const outcomes = (s: FixStrategy): Record<string, string> => Object.fromEntries(s.reach.map((r) => [r.context, r.outcome]));

describe('go env -w with an interactive export that overrides it', () => {
  const NEW = 'https://proxy.lab.example,direct';
  const p = plan('GOPROXY', NEW);
  const go = strategy(p, 'go-env');

  it('runs go env -w with the tool views’ executable', () => {
    expect(go.commands).toEqual([{ tool: 'go', setting: 'GOPROXY', value: NEW, argv: ['/usr/bin/go', 'env', '-w', `GOPROXY=${NEW}`], command: `/usr/bin/go env -w GOPROXY=${NEW}`, overriddenBy: ['GOPROXY'] }]);
  });
  it('disables the interactive export, reversibly, in the same plan', () => {
    expect(go.edits.map((e) => e.path)).toEqual(['.bashrc']);
    expect(go.edits[0]?.disabled.map((d) => d.text)).toEqual([`export GOPROXY=${ORG}`]);
    expect(restoreDisabled(go.edits[0]!.after!)).toBe(BASHRC);
  });
  it('predicts that go resolves the new value in every context', () => {
    expect(outcomes(go)).toEqual({ 'ssh-command': 'tool', login: 'tool', 'login-interactive': 'tool', 'bash-interactive': 'tool', 'vscode-resolved': 'tool' });
    expect(go.reach.map((r) => r.toolAfter)).toEqual(Array(5).fill(NEW));
    expect(go.reach.find((r) => r.context === 'bash-interactive')?.toolBefore).toBe(ORG);
    expect(go.reachesAll).toBe(true);
  });
  it('is never the default (the environment strategies stay the default)', () => {
    expect(p.defaultStrategy).toBe('bashrc');
  });
  it('without disabling, the export would win: a locked ~/.bashrc leaves the interactive contexts overridden', () => {
    const locked = strategy(plan('GOPROXY', NEW, { locked: { '.bashrc': 'owned by root' } }), 'go-env');
    expect(outcomes(locked)['bash-interactive']).toBe('overridden');
    expect(locked.reach.find((r) => r.context === 'bash-interactive')?.note).toContain(`GOPROXY=${ORG} in the environment`);
    expect(locked.reachesAll).toBe(false);
  });
  it('an export of the same value is left alone (it agrees)', () => {
    const same = strategy(plan('GOPROXY', ORG), 'go-env');
    expect(same.edits).toEqual([]);
    expect(outcomes(same)['bash-interactive']).toBe('already');
  });
  it('removal runs go env -u', () => {
    const snap = snapshot();
    const f = files();
    const p2 = planFix({ snapshot: snap, home: HOME, variable: 'GOPROXY', assignments: [{ name: 'GOPROXY', target: { kind: 'remove' } }], contexts: ['ssh-command', 'bash-interactive'], files: f, tools: { go: true } });
    expect(strategy(p2, 'go-env').commands?.[0]?.argv).toEqual(['/usr/bin/go', 'env', '-u', 'GOPROXY']);
  });
});

describe('refusals', () => {
  it('go absent from every context: no go-env strategy, and a note says why', () => {
    const none: ToolView = { status: 'unavailable', reason: 'go is not on PATH' };
    const snap = snapshot({ 'ssh-command': ctx(base, { go: none }), login: ctx(base, { go: none }), 'login-interactive': ctx({ ...base, GOPROXY: ORG }, { go: none }), 'bash-interactive': ctx({ ...base, GOPROXY: ORG }, { go: none }), 'vscode-resolved': ctx({ ...base, GOPROXY: ORG }, { go: none }) });
    const p = plan('GOPROXY', CN, { snapshot: snap, tools: {} });
    expect(p.strategies.some((s) => s.id === 'go-env')).toBe(false);
  });
  it('a value with a line break is refused for the tool config', () => {
    const p = plan('GOPROXY', 'a\nb');
    expect(p.strategies.some((s) => s.id === 'go-env')).toBe(false);
    expect(p.notes.join(' ')).toContain("go's config cannot hold a value with a line break");
  });
});

describe('git config --global', () => {
  const p = plan('http_proxy', 'http://new:3128', { tools: { paths: { git: '/usr/bin/git' } } });
  const git = strategy(p, 'git-config');
  it('sets http.proxy with git config --global, no file edits', () => {
    expect(git.commands?.[0]?.argv).toEqual(['/usr/bin/git', 'config', '--global', 'http.proxy', 'http://new:3128']);
    expect(git.edits).toEqual([]);
  });
  it('reaches every context: git config wins over the proxy variables for git', () => {
    expect(new Set(Object.values(outcomes(git)))).toEqual(new Set(['tool']));
    expect(git.reach[0]?.toolBefore).toBe('http://old:3128');
  });
});

describe('commands are quoted safely', () => {
  it('argv keeps the value as one word; the command line round-trips through sh quoting', () => {
    const hostile = `it's "$HOME" \`id\` $(id) ; rm -rf ~ \\ end`;
    expect(toolSetArgv('git', 'git', 'http.proxy', hostile)).toEqual(['git', 'config', '--global', 'http.proxy', hostile]);
    expect(commandLine(['git', 'config', '--global', 'http.proxy', hostile])).toBe(`git config --global http.proxy 'it'\\''s "$HOME" \`id\` $(id) ; rm -rf ~ \\ end'`);
  });
  it('any value is one single-quoted word (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((v) => !v.includes('\u0000')), (v) => {
        const line = commandLine(['x', v]);
        const word = line.slice(2);
        // Undo the quoting as sh would: concatenate '…' segments and \' escapes.
        const unquoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : word.replace(/'\\''/g, '\u0000').slice(1, -1).replace(/\u0000/g, "'");
        return v === '' ? word === "''" : unquoted === v;
      }),
    );
  });
  it('npm and pip use their user-level commands', () => {
    expect(toolSetArgv('npm', 'npm', 'proxy', 'http://p:1')).toEqual(['npm', 'config', 'set', 'proxy=http://p:1', '--location=user']);
    expect(toolSetArgv('npm', 'npm', 'proxy', null)).toEqual(['npm', 'config', 'delete', 'proxy', '--location=user']);
    expect(toolSetArgv('pip', 'pip', 'index-url', 'https://i/simple')).toEqual(['pip', 'config', '--user', 'set', 'global.index-url', 'https://i/simple']);
    expect(toolSetArgv('pip', 'pip', 'index-url', null)).toEqual(['pip', 'config', '--user', 'unset', 'global.index-url']);
  });
});

describe('verifyFix for a tool-native strategy', () => {
  const NEW = 'https://proxy.lab.example,direct';
  const p = plan('GOPROXY', NEW);
  const after = (bashInteractive: ContextResult) =>
    makeSnapshot({ 'ssh-command': ctx(base, { go: goView(NEW, GOENV) }), login: ctx(base, { go: goView(NEW, GOENV) }), 'login-interactive': ctx(base, { go: goView(NEW, GOENV) }), 'bash-interactive': bashInteractive, 'vscode-resolved': ctx(base, { go: goView(NEW, GOENV) }) });
  it('is verified when every tool view shows the target and no variable overrides it', () => {
    const v = verifyFix(p, snapshot(), after(ctx(base, { go: goView(NEW, GOENV) })), 'go-env');
    expect(v.verified).toBe(true);
    expect(v.contexts.map((c) => [c.context, c.status, c.tool?.value])).toEqual(['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'vscode-resolved'].map((c) => [c, 'ok', NEW]));
  });
  it('fails where the export still wins', () => {
    const v = verifyFix(p, snapshot(), after(ctx({ ...base, GOPROXY: ORG }, { go: goView(ORG, 'environment') })), 'go-env');
    expect(v.verified).toBe(false);
    expect(v.contexts.find((c) => c.context === 'bash-interactive')).toMatchObject({ status: 'mismatch', note: "GOPROXY in the environment still wins over go's own config" });
  });
  it('fails where the tool resolves another value', () => {
    const v = verifyFix(p, snapshot(), after(ctx(base, { go: goView(CN, GOENV) })), 'go-env');
    expect(v.contexts.find((c) => c.context === 'bash-interactive')?.status).toBe('mismatch');
  });
});

describe('properties of the go env -w strategy', () => {
  const line = fc.constantFrom('export GOPROXY=https://a,direct', `export GOPROXY=${CN}`, 'GOPROXY=off', 'unset GOPROXY', 'x=1', '# c', '', 'if true; then export GOPROXY=b; fi');
  const rc = fc.tuple(fc.array(line, { maxLength: 4 }), fc.array(line, { maxLength: 4 })).map(([top, bottom]) => `${[...top, GUARD.trimEnd(), ...bottom].join('\n')}\n`);
  const value = fc.constantFrom(CN, "it's $HOME `id`", 'sp ace,direct');

  it('undo of its edits is the identity; applying it leaves nothing to disable; every context it claims is not overridden', () => {
    fc.assert(
      fc.property(rc, value, (text, v) => {
        const f = files({ '.bashrc': text });
        const go = plan('GOPROXY', v, { files: f }).strategies.find((s) => s.id === 'go-env');
        if (!go) return;
        for (const e of go.edits) expect(restoreDisabled(e.after ?? '')).toBe(e.before);
        const applied = { ...f };
        for (const e of go.edits) applied[e.path] = e.after;
        const again = plan('GOPROXY', v, { files: applied }).strategies.find((s) => s.id === 'go-env');
        expect(again?.edits ?? []).toEqual([]);
        for (const r of go.reach) {
          if (r.outcome === 'tool' || r.outcome === 'already') expect([null, v]).toContain(r.after?.GOPROXY ?? null);
        }
      }),
      { numRuns: 150 },
    );
  });
});
