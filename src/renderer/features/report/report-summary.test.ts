import { describe, expect, it } from 'vitest';
import type { ReportRedaction } from '../../../shared/api';
import { redactionHeadline, redactionLines } from './report-summary';

const token = (context: ReportRedaction['context'], target = 'a'): ReportRedaction => ({ target, context, field: 'env', variable: 'GITHUB_TOKEN', rule: 'secret-name', length: 40 });
const redactions: ReportRedaction[] = [
  token('login'),
  token('bash-interactive'),
  token('vscode-server', 'b'),
  token('vscode-exthost', 'b'),
  { target: 'a', context: 'login', field: 'env', variable: 'http_proxy', rule: 'url-password', length: 8 },
  { target: 'a', context: 'login', field: 'stderr', rule: 'recurring', length: 40 },
];

describe('redactionLines', () => {
  it('says where and why, naming up to three contexts and counting more', () => {
    expect(redactionLines({ redactions }).map((l) => [l.place, l.named, l.where, l.hosts, l.ruleLabel, l.count])).toEqual([
      ['GITHUB_TOKEN', true, 'in 4 contexts', 'on 2 hosts', 'the variable name says it holds a secret', 4],
      ['http_proxy', true, 'in login', '', 'password in a URL (user:password@host)', 1],
      ['startup-file errors (stderr)', false, 'in login', '', 'a value already found secret elsewhere', 1],
    ]);
  });
});

describe('redactionHeadline', () => {
  it('counts values and places, and says when they will be in clear text', () => {
    expect([redactionHeadline({ redactions }, true), redactionHeadline({ redactions }, false), redactionHeadline({ redactions: [] }, true)]).toEqual([
      '6 values will be masked in 3 places',
      '6 values will be written in clear text in 3 places',
      'Nothing in these snapshots looks secret',
    ]);
  });
});
