import { describe, expect, it } from 'vitest';
import { planFix } from './fix-plan';
import { verifyFix } from './fix-verify';
import { renderFixPlan, renderVerification, shownValue } from './render-fix';
import { makeSnapshot } from './test-snapshot';

const HOME = '/home/a';
const base = { HOME, PATH: '/bin' };
const GP = 'https://goproxy.cn,direct';
const before = makeSnapshot(
  { 'ssh-command': base, 'bash-interactive': { ...base, GOPROXY: GP }, 'vscode-server': base },
  { host: { shell: '/bin/bash', shells: { bash: '/bin/bash' } } },
);
const plan = planFix({
  snapshot: before,
  home: HOME,
  variable: 'GOPROXY',
  assignments: [{ name: 'GOPROXY', target: { kind: 'set', value: GP } }],
  contexts: ['ssh-command', 'bash-interactive', 'vscode-server'],
  files: { '.bashrc': "case $- in *i*) ;; *) return;; esac\nexport GOPROXY='https://goproxy.cn,direct'\n" },
});

describe('verifyFix', () => {
  it('is verified when fresh contexts show the target; a running server only needs a restart', () => {
    const after = makeSnapshot({ 'ssh-command': { ...base, GOPROXY: GP }, 'bash-interactive': { ...base, GOPROXY: GP }, 'vscode-server': base });
    const v = verifyFix(plan, before, after);
    expect(v.verified).toBe(true);
    expect(v.contexts.map((c) => [c.context, c.status])).toEqual([
      ['ssh-command', 'ok'],
      ['bash-interactive', 'ok'],
      ['vscode-server', 'restart-needed'],
    ]);
  });
  it('is not verified when a fresh context still differs', () => {
    const after = makeSnapshot({ 'ssh-command': base, 'bash-interactive': { ...base, GOPROXY: GP } });
    const v = verifyFix(plan, before, after);
    expect(v.verified).toBe(false);
    expect(v.contexts.find((c) => c.context === 'ssh-command')?.status).toBe('mismatch');
    expect(v.contexts.find((c) => c.context === 'vscode-server')?.status).toBe('unavailable');
  });
});

describe('render-fix', () => {
  it('shows values with invisible characters marked, never raw', () => {
    expect(shownValue('a\x1b[2Jb')).toBe("'a\\x1B[2Jb'");
    expect(shownValue(null)).toBe('(unset)');
  });
  it('renders strategies, the reach matrix and the diff', () => {
    const text = renderFixPlan(plan);
    expect(text).toContain('*  1  bashrc  reaches 3/3, edits 1 file');
    expect(text).toMatch(/\* ssh-command +\(unset\) +✓/);
    expect(text).toMatch(/\* vscode-server +\(unset\) +↻/);
    expect(text).toContain("+export GOPROXY='https://goproxy.cn,direct'");
  });
  it('renders the verification', () => {
    const after = makeSnapshot({ 'ssh-command': { ...base, GOPROXY: GP }, 'bash-interactive': { ...base, GOPROXY: GP }, 'vscode-server': base });
    expect(renderVerification(plan, verifyFix(plan, before, after))).toMatch(/vscode-server .*↻ needs a restart[\s\S]*Verified: every chosen context/);
  });
});
