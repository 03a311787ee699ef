import { describe, expect, it } from 'vitest';
import { redactSnapshots } from '../redact';
import { makeSnapshot } from '../test-snapshot';
import { buildVscodeSettings } from '../vscode-settings';
import { renderReportHtml } from './render';

const MACHINE = '/home/zoe/.vscode-server/data/Machine/settings.json';
const TEXT = [
  '{',
  '  // machine settings',
  '  "go.toolsEnvVars": {',
  '    "GOPROXY": "https://goproxy.vscode.lab,direct",',
  '  },',
  '  "terminal.integrated.env.linux": { "EL_GONE": null },',
  '  "http.proxy": "http://alice:s3cretPassw0rd@proxy.lab:3128",',
  '}',
].join('\n');

function report(): string {
  const snapshot = makeSnapshot({
    'vscode-server': { HOME: '/home/zoe' },
    'vscode-exthost': { status: 'ok', env: { HOME: '/home/zoe', EL_GONE: '1' }, process: { pid: 9, cmdline: 'node x --type=extensionHost --useHostProxy=false' } },
  });
  snapshot.vscodeSettings = buildVscodeSettings({
    listing: { files: [{ index: 0, scope: 'machine', size: TEXT.length, path: MACHINE }] },
    texts: new Map([[0, TEXT]]),
    contexts: snapshot.contexts,
    home: '/home/zoe',
  });
  const { snapshots, redactions } = redactSnapshots([snapshot], { key: 'k' });
  return renderReportHtml({ snapshots, redacted: true, redactions, generatedAt: '2026-11-25T14:05:00.000Z', version: '0.1.0' });
}

describe('report: VS Code settings section', () => {
  const page = report();

  it('has a section, in the table of contents, that says what gopls and terminals see and why, with file:line', () => {
    expect(page).toContain('href="#s0-vscode"');
    expect(page).toContain('<section id="s0-vscode"><h2>VS Code settings');
    expect(page).toContain(`gopls sees GOPROXY=https://goproxy.vscode.lab,direct because go.toolsEnvVars sets it (${MACHINE}:4)`);
    expect(page).toContain(`VS Code terminals do not see EL_GONE because terminal.integrated.env.linux unsets it (${MACHINE}:6)`);
    expect(page).toContain('User settings live on your computer');
  });

  it('masks the proxy password of http.proxy everywhere in the page', () => {
    expect(page).toContain('http.proxy');
    expect(page).not.toContain('s3cretPassw0rd');
  });

  it('lists the vscode-settings findings with the rest', () => {
    expect(page).toContain('vscode-settings:go:GOPROXY');
  });
});
