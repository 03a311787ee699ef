import { describe, expect, it } from 'vitest';
import { reportFixture, PLANTED_SECRETS } from './report/report-fixture';
import { redactSnapshots } from './redact';
import { countRedactionsByRule, groupRedactions, redactionPlace, type RedactionLike } from './redaction-summary';

const spans: RedactionLike[] = [
  { target: 'a', context: 'login', field: 'env', variable: 'GITHUB_TOKEN', rule: 'secret-name' },
  { target: 'a', context: 'bash-interactive', field: 'env', variable: 'GITHUB_TOKEN', rule: 'secret-name' },
  { target: 'b', context: 'ssh-command', field: 'env', variable: 'GITHUB_TOKEN', rule: 'secret-name' },
  { target: 'a', context: 'login', field: 'stderr', rule: 'recurring' },
  { target: 'a', context: 'login', field: 'env', variable: 'http_proxy', rule: 'url-password' },
  { target: 'a', context: 'login', field: 'tools', variable: 'git.http.proxy', rule: 'url-password' },
];

describe('groupRedactions', () => {
  it('makes one group per place and rule, with its contexts (in context order) and targets', () => {
    expect(groupRedactions(spans).map((g) => [redactionPlace(g), g.rule, g.count, g.contexts.join(' '), g.targets.join(' ')])).toEqual([
      ['GITHUB_TOKEN', 'secret-name', 3, 'ssh-command login bash-interactive', 'a b'],
      ['http_proxy', 'url-password', 1, 'login', 'a'],
      ['git.http.proxy (tool setting)', 'url-password', 1, 'login', 'a'],
      ['startup-file errors (stderr)', 'recurring', 1, 'login', 'a'],
    ]);
  });

  it('counts spans per rule', () => {
    expect(countRedactionsByRule(spans)).toEqual({ 'secret-name': 3, recurring: 1, 'url-password': 2 });
  });

  it('holds no secret when built from a real redaction', () => {
    const { redactions } = redactSnapshots([reportFixture()], { key: 'k' });
    const text = JSON.stringify(groupRedactions(redactions));
    expect(Object.values(PLANTED_SECRETS).filter((secret) => text.includes(secret))).toEqual([]);
  });
});
