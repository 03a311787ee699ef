import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextId, ContextResult } from '../shared/model';
import { stripEnvlens } from './fix-blocks';
import { ENVIRONMENT_D_FILE, planFix, resolveFixRequest, shellKindOf, type FixPlan, type FixPlanInput, type FixStrategy } from './fix-plan';
import { makeSnapshot } from './test-snapshot';

const HOME = '/home/alice';
const GUARD = "# If not running interactively, don't do anything\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\n";
const PROFILE = '# ~/.profile\nif [ -n "$BASH_VERSION" ]; then\n    if [ -f "$HOME/.bashrc" ]; then\n\t. "$HOME/.bashrc"\n    fi\nfi\nPATH="$HOME/bin:$PATH"\n';
const BASHRC = `# ~/.bashrc\nexport EL_TOP=top\n\n${GUARD}HISTSIZE=1000\nexport GOPROXY=https://goproxy.cn,direct\nexport http_proxy=http://a:3128\nexport HTTP_PROXY=http://b:8080\n`;
const GP = 'https://goproxy.cn,direct';
const base = { HOME, USER: 'alice', PATH: '/usr/bin:/bin' };
const SHELL_CONTEXTS: ContextId[] = ['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'zsh', 'vscode-resolved'];

/** A bash account as the lab's elalice: GOPROXY and the proxies only in interactive contexts. */
function aliceSnapshot(extra: Partial<Record<ContextId, ContextResult | Record<string, string>>> = {}) {
  const interactive = { ...base, GOPROXY: GP, http_proxy: 'http://a:3128', HTTP_PROXY: 'http://b:8080' };
  return makeSnapshot(
    {
      'ssh-command': base,
      login: base,
      'login-interactive': interactive,
      'bash-interactive': interactive,
      zsh: base,
      'vscode-resolved': interactive,
      'systemd-user': { status: 'unavailable', reason: 'no user manager' },
      ...extra,
    },
    { host: { shell: '/bin/bash', shells: { bash: '/usr/bin/bash', zsh: '/usr/bin/zsh' } } },
  );
}

function files(over: Record<string, string | null> = {}): Record<string, string | null> {
  return { '.bashrc': BASHRC, '.profile': PROFILE, '.bash_profile': null, '.bash_login': null, '.zshenv': null, '.zprofile': null, '.zshrc': null, '.zlogin': null, [ENVIRONMENT_D_FILE]: null, ...over };
}

function plan(variable: string, over: Partial<FixPlanInput> & { value?: string; remove?: boolean } = {}): FixPlan {
  const snapshot = over.snapshot ?? aliceSnapshot();
  const f = over.files ?? files();
  const request = resolveFixRequest(snapshot, { variable, ...(over.value !== undefined ? { value: over.value } : {}), ...(over.remove ? { remove: true } : {}), ...(over.contexts ? { contexts: over.contexts } : {}) }, f);
  if (!request.ok) throw new Error(request.problem);
  return planFix({ snapshot, home: HOME, variable, assignments: request.assignments, contexts: request.contexts, files: f, ...(over.locked ? { locked: over.locked } : {}), ...(over.tools ? { tools: over.tools } : {}) });
}

const chosen = (p: FixPlan): FixStrategy => {
  const s = p.strategies.find((x) => x.id === p.defaultStrategy);
  if (!s) throw new Error('no default strategy');
  return s;
};
const outcomes = (s: FixStrategy): Record<string, string> => Object.fromEntries(s.reach.map((r) => [r.context, r.outcome]));

describe('planFix: the seed case (GOPROXY below the interactive guard of ~/.bashrc)', () => {
  const p = plan('GOPROXY');
  const s = chosen(p);

  it('takes the value from where it is set', () => {
    expect(p.assignments).toEqual([{ name: 'GOPROXY', target: { kind: 'set', value: GP } }]);
  });
  it('defaults to one block at the top of ~/.bashrc', () => {
    expect(s.id).toBe('bashrc');
    expect(s.edits.map((e) => e.path)).toEqual(['.bashrc']);
    expect(s.edits[0]?.after?.startsWith("# >>> envlens GOPROXY >>>\n# Managed by envlens (envlens fix): replaced or removed by the next fix of this variable.\nexport GOPROXY='https://goproxy.cn,direct'\n# <<< envlens GOPROXY <<<\n# ~/.bashrc\n")).toBe(true);
  });
  it('predicts every bash and zsh context reached', () => {
    expect(outcomes(s)).toEqual({
      'ssh-command': 'reached',
      login: 'reached',
      'login-interactive': 'already',
      'bash-interactive': 'already',
      zsh: 'reached',
      'vscode-resolved': 'already',
      'systemd-user': 'unavailable',
    });
    expect(s.reachesAll).toBe(true);
  });
  it('shows a unified diff', () => {
    expect(s.edits[0]?.diff).toContain("+export GOPROXY='https://goproxy.cn,direct'");
    expect(s.edits[0]?.diff).toContain('--- ~/.bashrc');
  });
  it('ranks alternatives that reach less after it', () => {
    const zshenv = p.strategies.find((x) => x.id === 'zshenv');
    expect(zshenv?.unreached).toEqual(['ssh-command', 'login']);
    expect(p.strategies[0]?.id).toBe('bashrc');
  });
  it('is idempotent: planning again on the result changes nothing', () => {
    const after = files({ '.bashrc': s.edits[0]!.after });
    const again = plan('GOPROXY', { files: after });
    expect(again.strategies.find((x) => x.id === 'bashrc')).toBeUndefined();
  });
});

describe('planFix: running processes', () => {
  it('says the VS Code server needs a restart', () => {
    const p = plan('GOPROXY', { snapshot: aliceSnapshot({ 'vscode-server': base, 'vscode-exthost': { ...base, GOPROXY: GP } }) });
    const s = chosen(p);
    expect(outcomes(s)['vscode-server']).toBe('restart');
    expect(outcomes(s)['vscode-exthost']).toBe('already');
    expect(s.notes.join(' ')).toMatch(/Kill VS Code Server/);
  });
});

describe('planFix: the proxy case disagreement', () => {
  const p = plan('http_proxy', { value: 'http://a:3128' });
  const s = chosen(p);
  it('sets both spellings', () => {
    expect(p.assignments.map((a) => a.name)).toEqual(['http_proxy', 'HTTP_PROXY']);
  });
  it('disables the later line that sets the other value', () => {
    expect(s.edits[0]?.disabled).toEqual([{ line: 12, name: 'HTTP_PROXY', text: 'export HTTP_PROXY=http://b:8080' }]);
    expect(s.edits[0]?.after).toContain(': # envlens-disabled HTTP_PROXY: export HTTP_PROXY=http://b:8080\n');
  });
  it('reaches every context with one file', () => {
    expect(s.reachesAll).toBe(true);
    expect(s.edits).toHaveLength(1);
  });
  it('undo (taking envlens out) gives the file back byte for byte', () => {
    expect(stripEnvlens(s.edits[0]!.after!, ['http_proxy', 'HTTP_PROXY'])).toBe(BASHRC);
  });
  it('refuses to guess when the two spellings disagree and no value is given', () => {
    const r = resolveFixRequest(aliceSnapshot(), { variable: 'http_proxy' });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.candidates?.map((c) => c.value)).toEqual(['http://a:3128', 'http://b:8080']);
  });
});

describe('planFix: a zsh account whose ~/.profile export zsh never reads', () => {
  const zshSnap = makeSnapshot(
    { 'ssh-command': base, login: base, 'login-interactive': base, 'bash-interactive': base, zsh: base, 'vscode-resolved': base },
    { host: { shell: '/usr/bin/zsh', shells: { bash: '/usr/bin/bash', zsh: '/usr/bin/zsh' } } },
  );
  const f = files({ '.bashrc': null, '.profile': '# profile\nexport GOPROXY=https://proxy.zoe.lab,direct\n', '.zshenv': '# zshenv\nexport EL_ZSHENV=1\n', '.zshrc': 'export EL_ZSHRC=1\n' });
  const p = plan('GOPROXY', { snapshot: zshSnap, files: f });
  const s = chosen(p);
  it('takes the value from the file that sets it', () => {
    expect(p.assignments[0]?.target).toEqual({ kind: 'set', value: 'https://proxy.zoe.lab,direct' });
  });
  it('puts it into ~/.zshenv, which reaches every context', () => {
    expect(s.id).toBe('zshenv');
    expect(s.edits[0]?.after).toBe("# zshenv\nexport EL_ZSHENV=1\n# >>> envlens GOPROXY >>>\n# Managed by envlens (envlens fix): replaced or removed by the next fix of this variable.\nexport GOPROXY='https://proxy.zoe.lab,direct'\n# <<< envlens GOPROXY <<<\n");
    expect(Object.values(outcomes(s)).every((o) => o === 'reached')).toBe(true);
  });
});

describe('planFix: login files', () => {
  it('adds the login file when ~/.bash_profile does not source ~/.bashrc', () => {
    const p = plan('GOPROXY', { files: files({ '.bash_profile': '# bp\nexport A=1\n' }) });
    const s = chosen(p);
    expect(s.id).toBe('bashrc+login');
    expect(s.edits.map((e) => e.path)).toEqual(['.bashrc', '.bash_profile']);
  });
});

describe('planFix: assignments envlens cannot rewrite', () => {
  it('predicts overridden and says where', () => {
    const bashrc = `${BASHRC}[ -t 0 ] && export GOPROXY=https://other\n`;
    const snap = aliceSnapshot({ 'bash-interactive': { ...base, GOPROXY: 'https://other' } });
    const p = plan('GOPROXY', { files: files({ '.bashrc': bashrc }), snapshot: snap, value: GP });
    const s = p.strategies.find((x) => x.id === 'bashrc')!;
    const r = s.reach.find((x) => x.context === 'bash-interactive');
    expect(r).toMatchObject({ outcome: 'overridden', via: '~/.bashrc:17' });
    expect(s.reachesAll).toBe(false);
  });
});

describe('planFix: removal', () => {
  it('unsets at the top and disables later exports', () => {
    const bashrc = `export GOPROXY=off\n${GUARD}`;
    const snap = aliceSnapshot({ 'ssh-command': { ...base, GOPROXY: 'off' }, login: { ...base, GOPROXY: 'off' } });
    const p = plan('GOPROXY', { files: files({ '.bashrc': bashrc }), snapshot: snap, remove: true, contexts: ['ssh-command', 'login'] });
    const s = chosen(p);
    expect(s.edits[0]?.after).toBe(`# >>> envlens GOPROXY >>>\n# Managed by envlens (envlens fix): replaced or removed by the next fix of this variable.\nunset GOPROXY\n# <<< envlens GOPROXY <<<\n: # envlens-disabled GOPROXY: export GOPROXY=off\n${GUARD}`);
    expect(outcomes(s)['ssh-command']).toBe('reached');
  });
});

describe('planFix: other strategies', () => {
  it('offers go env -w when go exists, never as the default', () => {
    const p = plan('GOPROXY', { tools: { go: true } });
    const go = p.strategies.find((s) => s.id === 'go-env');
    expect(go?.commands?.[0]?.argv).toEqual(['go', 'env', '-w', 'GOPROXY=https://goproxy.cn,direct']);
    expect(go?.edits.some((e) => e.path === '.config/go/env')).toBe(false);
    expect(outcomes(go!)['ssh-command']).toBe('tool');
    expect(p.defaultStrategy).toBe('bashrc');
  });
  it('adds environment.d when systemd user services must see it', () => {
    const p = plan('GOPROXY', { snapshot: aliceSnapshot({ 'systemd-user': base }) });
    const s = chosen(p);
    expect(s.id).toBe('bashrc+environment.d');
    expect(s.edits.find((e) => e.path === ENVIRONMENT_D_FILE)?.after).toContain('GOPROXY="https://goproxy.cn,direct"\n');
    expect(outcomes(s)['systemd-user']).toBe('restart');
  });
  it('does not edit a locked file', () => {
    const p = plan('GOPROXY', { locked: { '.bashrc': 'owned by root' } });
    expect(p.strategies.some((s) => s.units.includes('bashrc'))).toBe(false);
    expect(p.notes.join(' ')).toMatch(/owned by root/);
  });
  it('leaves a file with a damaged envlens block alone and says why', () => {
    const p = plan('GOPROXY', { files: files({ '.bashrc': `# >>> envlens GOPROXY >>>\n${BASHRC}` }) });
    expect(p.strategies.some((s) => s.units.includes('bashrc'))).toBe(false);
    expect(p.notes.join(' ')).toMatch(/no end marker/);
  });
  it('has nothing to do when every context already agrees', () => {
    const p = plan('EL_TOP', { snapshot: aliceSnapshot(Object.fromEntries(SHELL_CONTEXTS.map((c) => [c, { ...base, EL_TOP: 'top' }]))) });
    expect(p.nothingToDo).toBe(true);
    expect(p.defaultStrategy).toBeUndefined();
  });
});

describe('resolveFixRequest', () => {
  it('defaults to every context captured ok', () => {
    const r = resolveFixRequest(aliceSnapshot(), { variable: 'GOPROXY' });
    expect(r.ok && r.contexts).toEqual(SHELL_CONTEXTS);
  });
  it('can set one spelling only', () => {
    const r = resolveFixRequest(aliceSnapshot(), { variable: 'http_proxy', bothCases: false });
    expect(r.ok && r.assignments.map((a) => a.name)).toEqual(['http_proxy']);
  });
  it('refuses a variable set nowhere without a value', () => {
    expect(resolveFixRequest(aliceSnapshot(), { variable: 'NOPE' }, files())).toMatchObject({ ok: false, problem: expect.stringMatching(/not set/) });
  });
  it('knows shell kinds', () => {
    expect(['/bin/bash', '/usr/bin/zsh', '/bin/dash', '/usr/bin/fish'].map(shellKindOf)).toEqual(['bash', 'zsh', 'sh', 'other']);
  });
});

describe('planFix: properties over generated dotfiles', () => {
  const line = fc.oneof(
    fc.constantFrom(
      GUARD.trimEnd(),
      'export GOPROXY=https://other,direct',
      `export GOPROXY=${GP}`,
      "export GOPROXY='multi\nline'",
      '[ -n "$X" ] && export GOPROXY=cond',
      'unset GOPROXY',
      'proxy_on() {\n  export GOPROXY=fn\n}',
      'alias ll="ls -l"',
      '',
      '# >>> envlens GOPROXY >>>\n# Managed by envlens (envlens fix): replaced or removed by the next fix of this variable.\nexport GOPROXY=\'old\'\n# <<< envlens GOPROXY <<<',
    ),
    fc.string({ maxLength: 20 }).map((s) => s.replace(/\n/g, ' ').replace(/envlens/g, 'x')),
  );
  const bashrc = fc.tuple(fc.array(line, { maxLength: 10 }), fc.boolean()).map(([ls, eol]) => {
    const t = ls.join('\n');
    return eol && t ? `${t}\n` : t;
  });
  const value = fc.constantFrom(GP, "it's $HOME", 'a\nb', 'sp ace');

  it('apply∘apply = apply and undo∘apply = identity (up to an existing block)', () => {
    fc.assert(
      fc.property(bashrc, value, (text, v) => {
        const f = files({ '.bashrc': text });
        const p1 = plan('GOPROXY', { files: f, value: v });
        for (const s of p1.strategies) {
          for (const e of s.edits) {
            expect(stripEnvlens(e.after ?? '', ['GOPROXY'])).toBe(stripEnvlens(e.before ?? '', ['GOPROXY']));
          }
        }
        const s1 = p1.strategies.find((s) => s.id === p1.defaultStrategy);
        if (!s1) return;
        const applied = { ...f };
        for (const e of s1.edits) applied[e.path] = e.after;
        const p2 = plan('GOPROXY', { files: applied, value: v });
        expect(p2.strategies.find((s) => s.id === s1.id)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });
});
