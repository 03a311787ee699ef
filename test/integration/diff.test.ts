/**
 * Diagnosis against the lab: each trigger of DOMAIN.md produces the right finding with
 * the right file:line, and `envlens diff` gates on what matters (exit 0/1/2).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findFindings, type Finding } from '../../src/core/findings';
import { captureSnapshot } from '../../src/node/capture';
import type { Snapshot } from '../../src/shared/model';
import { emptySshConfig, lab, labOptions, labSkipReason, labTarget, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

describeLab('findings for the lab’s triggers', () => {
  let snap: Snapshot;
  let findings: Finding[];
  beforeAll(async () => {
    snap = await captureSnapshot(labTarget(lab!, lab!.users.bash), labOptions(lab!, { trace: true }));
    findings = findFindings(snap);
  });
  const byId = (id: string): Finding | undefined => findings.find((f) => f.id === id);

  it('GOPROXY exported below the interactive guard: missing where no interactive shell ran, cause names ~/.bashrc:line', () => {
    const finding = byId('missing:GOPROXY')!;
    const { file, line } = lab!.lines.aliceGoproxy!;
    expect(finding.severity).toBe('high');
    expect(finding.contexts).toEqual(expect.arrayContaining(['ssh-command', 'login', 'zsh', 'vscode-server']));
    expect(finding.cause).toContain(`${file}:${line}`);
    expect(finding.cause).toMatch(/interactive guard/);
  });

  it('names the source line per context in the evidence', () => {
    const evidence = byId('missing:GOPROXY')!.evidence.find((e) => e.context === 'bash-interactive')!;
    expect(evidence.source).toMatchObject({ file: lab!.lines.aliceGoproxy!.file, line: lab!.lines.aliceGoproxy!.line });
  });

  it('reports the http_proxy / HTTP_PROXY disagreement with each tool’s choice', () => {
    const finding = byId('proxy-case:http_proxy:differ')!;
    expect(finding.explanation).toMatch(/curl[^;]*proxy-a\.lab:3128/);
    expect(finding.explanation).toMatch(/go[^;]*proxy-b\.lab:8080/);
  });

  it('reports PATH entries that only login shells get, with the file that adds them', () => {
    const finding = byId('path-entries:PATH')!;
    expect(finding.cause).toMatch(/\/home\/elalice\/\.profile:\d+/);
    expect(finding.explanation).toContain('/home/elalice/go/bin');
  });

  it('reports the running VS Code extension host as stale where a fresh resolve differs', () => {
    expect(findings.some((f) => f.kind === 'vscode-stale')).toBe(true);
  });
});

describeLab('envlens diff (CLI)', () => {
  const flags = (): string[] => ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--timeout', '5'];

  it('exits 1 when a gated variable differs between the chosen contexts', () => {
    const { code, stdout } = runCli(['diff', labTarget(lab!, lab!.users.bash), '--contexts', 'login,bash-interactive', '--var', 'GOPROXY', ...flags()]);
    expect([code, stdout.includes('GOPROXY')]).toEqual([1, true]);
  });

  it('exits 0 when it does not', () => {
    const { code } = runCli(['diff', labTarget(lab!, lab!.users.bash), '--contexts', 'login,ssh-command', '--var', 'GOPROXY', ...flags()]);
    expect(code).toBe(0);
  });

  it('prints JSON with comparisons and findings on stdout alone', () => {
    const { code, stdout } = runCli(['diff', labTarget(lab!, lab!.users.bash), '--json', ...flags()]);
    const result = JSON.parse(stdout);
    expect([code, result.schema, result.findings.some((f: Finding) => f.id === 'missing:GOPROXY')]).toEqual([1, 'envlens.diff/v1', true]);
  });

  it('diffs two snapshot files context by context: identical snapshots exit 0', () => {
    const file = join(tempDir(), 'a.json');
    const captured = runCli(['capture', labTarget(lab!, lab!.users.fleet), '--json', '--contexts', 'login', ...flags()]);
    writeFileSync(file, captured.stdout);
    expect(runCli(['diff', file, file]).code).toBe(0);
  });

  it('exits 2 for a file that is not a snapshot', () => {
    const file = join(tempDir(), 'x.json');
    writeFileSync(file, '{"hello": 1}');
    const { code, stderr } = runCli(['diff', file]);
    expect([code, /not an envlens snapshot/.test(stderr)]).toEqual([2, true]);
  });
});
