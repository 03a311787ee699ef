import { describe, expect, it } from 'vitest';
import { columnsFromSnapshot, compareColumns } from './diff';
import { findFindings } from './findings';
import { renderComparisonTable, renderFindings } from './render-table';
import { makeSnapshot } from './test-snapshot';
import { displayWidth } from './text-width';

const base = { HOME: '/home/alice', LANG: 'C.UTF-8', PATH: '/usr/local/bin:/usr/bin:/bin', SHLVL: '1' };
const interactive = {
  ...base,
  PATH: '/home/alice/.local/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/go/bin',
  GOPROXY: 'https://goproxy.cn,direct',
  http_proxy: 'http://proxy-a:3128',
  HTTP_PROXY: 'http://proxy-b:8080',
  EDITOR: 'vim',
  SHLVL: '2',
};
const snapshot = makeSnapshot({
  'ssh-command': { ...base, TRAILING: 'value \u202E\u001b[2J' },
  login: { ...base, EDITOR: 'vim' },
  'login-interactive': {
    status: 'ok',
    env: interactive,
    sources: { GOPROXY: [{ file: '/home/alice/.bashrc', line: 12, kind: 'set' }] },
  },
  zsh: { status: 'timeout', reason: 'did not finish within 10 s' },
  'vscode-server': { status: 'unavailable', reason: 'no VS Code server process' },
});
const comparison = compareColumns(columnsFromSnapshot(snapshot));

describe('renderComparisonTable', () => {
  it('renders a readable matrix at the default width', () => {
    expect(renderComparisonTable(comparison)).toMatchSnapshot();
  });
  it('fits a narrow terminal', () => {
    expect(renderComparisonTable(comparison, { width: 60 })).toMatchSnapshot();
  });
  it('keeps every line within the width', () => {
    const lines = renderComparisonTable(comparison, { width: 70 }).split('\n');
    expect(lines.filter((l) => displayWidth(l) > 70)).toEqual([]);
  });
  it('caps value columns with maxValueWidth', () => {
    expect(renderComparisonTable(comparison, { width: 200, maxValueWidth: 12 })).toMatchSnapshot();
  });
  it('colours only when asked', () => {
    expect(renderComparisonTable(comparison).includes('\u001b[')).toBe(false);
  });
  it('emits ANSI colours with color: true', () => {
    expect(renderComparisonTable(comparison, { color: true })).toMatchSnapshot();
  });
  it('never passes an escape character from a value through', () => {
    const out = renderComparisonTable(comparison, { width: 200 });
    expect([out.includes('\u001b'), out.includes('\u202E')]).toEqual([false, false]);
  });
  it('is deterministic', () => {
    expect(renderComparisonTable(comparison)).toBe(renderComparisonTable(compareColumns(columnsFromSnapshot(snapshot))));
  });
  it('says so when there is nothing to show', () => {
    expect(renderComparisonTable(compareColumns(columnsFromSnapshot(makeSnapshot({ login: {} }))))).toContain('(no variables to show)');
  });
});

describe('renderFindings', () => {
  it('renders findings with cause, evidence and fix', () => {
    expect(renderFindings(findFindings(snapshot))).toMatchSnapshot();
  });
  it('renders a short line when there are none', () => {
    expect(renderFindings([])).toBe('No findings.\n');
  });
  it('colours severities with color: true', () => {
    expect(renderFindings(findFindings(snapshot).slice(0, 1), { color: true, evidence: false })).toMatchSnapshot();
  });
});
