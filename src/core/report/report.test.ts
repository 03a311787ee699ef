import { describe, expect, it } from 'vitest';
import { redactSnapshots } from '../redact';
import { makeSnapshot } from '../test-snapshot';
import { escapeHtml, html, valueHtml } from './html';
import { buildReportModel } from './model';
import { REPORT_CSP, renderReportHtml } from './render';
import { PLANTED_SECRETS, fleetFixture, reportFixture } from './report-fixture';

const META = { generatedAt: '2026-11-25T14:05:00.000Z', version: '0.1.0' };

function redactedReport(): string {
  const { snapshots, redactions } = redactSnapshots([reportFixture()], { key: 'test-key' });
  return renderReportHtml({ snapshots, redacted: true, redactions, ...META });
}

const REPORT = redactedReport();

/** Every planted secret as the strings that must not appear (a PEM body line by line). */
const FORBIDDEN: [string, string][] = Object.entries(PLANTED_SECRETS).flatMap(([family, value]) =>
  family === 'pemBody' ? value.split('\n').map((line, i): [string, string] => [`${family}[${i}]`, line]) : [[family, value]],
);

describe('escapeHtml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes interpolated text in the html tag', () => {
    expect(html`<p>${'<b>'}</p>`.value).toBe('<p>&lt;b&gt;</p>');
  });

  it('inserts nested html unescaped', () => {
    expect(html`<p>${html`<b>${'&'}</b>`}</p>`.value).toBe('<p><b>&amp;</b></p>');
  });

  it('renders nothing for false, null and undefined', () => {
    expect(html`${false}${null}${undefined}`.value).toBe('');
  });
});

describe('valueHtml', () => {
  it('makes a zero-width space visible', () => {
    expect(valueHtml('a\u200Bb').value).toContain('&lt;U+200B&gt;');
  });

  it('marks a newline', () => {
    expect(valueHtml('a\nb').value).toContain('<span class="mark" title="invisible character">⏎</span>');
  });

  it('wraps a mask in a span', () => {
    expect(valueHtml('http://u:•••(8 #0a1b2c)@p:3128').value).toContain('<span class="mask" title="redacted secret: 8 characters, keyed hash 0a1b2c">•••(8 #0a1b2c)</span>');
  });

  it('shows markup in a value as text', () => {
    expect(valueHtml('<img src=x onerror=alert(1)>').value).not.toContain('<img');
  });

  it('turns escape sequences into visible text', () => {
    expect(valueHtml('\u001b[31mred').value).toContain('\\x1B');
  });
});

describe('renderReportHtml, redacted fixture with planted secrets', () => {
  it.each(FORBIDDEN)('does not contain the planted %s', (_family, secret) => {
    expect(REPORT.includes(secret)).toBe(false);
  });

  it.each(['proxy.corp:3128', 'proxy-old.corp:8080', 'https://goproxy.corp', 'builder'])('keeps %s readable', (text) => {
    expect(REPORT).toContain(text);
  });

  it('sets the restrictive CSP', () => {
    expect(REPORT).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  });

  it("forbids everything but inline styles and data: images", () => {
    expect(REPORT_CSP.startsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:")).toBe(true);
  });

  it('has no script element', () => {
    expect(/<script/i.test(REPORT)).toBe(false);
  });

  it('loads nothing from outside (no src, no external href, no url(), no @import)', () => {
    const tags = REPORT.match(/<[a-zA-Z][^>]*>/g) ?? [];
    const external = tags.filter((t) => /\s(?:src|srcset|action|poster|data)=|\shref="(?!#|data:)/i.test(t));
    const css = REPORT.slice(REPORT.indexOf('<style>'), REPORT.indexOf('</style>'));
    expect([...external, ...(css.match(/url\(|@import/g) ?? [])]).toEqual([]);
  });

  it('shows a hostile value as text', () => {
    expect(REPORT).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('makes a bidi override visible', () => {
    expect(REPORT).toContain('&lt;U+202E&gt;');
  });

  it('says it is redacted', () => {
    expect(REPORT).toContain('Secrets redacted.');
  });

  it('starts with the summary', () => {
    expect(REPORT.indexOf('id="summary"')).toBeLessThan(REPORT.indexOf('id="s0-findings"'));
  });

  it('puts the sections in order: findings, differences, proxies, details, environments', () => {
    const at = ['id="s0-findings"', 'id="s0-diff"', 'id="s0-proxy"', 'id="details"', 'id="environments"'].map((id) => REPORT.indexOf(id));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('gives provenance as file:line', () => {
    expect(REPORT).toContain('/home/alice/.bashrc:121');
  });

  it('collapses the full environments', () => {
    expect(REPORT).toContain('<details class="env" data-testid="env-login">');
  });

  it('recommends a fix command', () => {
    expect(REPORT).toContain('envlens fix alice@build-1 --var GOPROXY');
  });

  it('is deterministic', () => {
    expect(redactedReport()).toBe(REPORT);
  });
});

describe('renderReportHtml, other inputs', () => {
  it('warns when not redacted', () => {
    const out = renderReportHtml({ snapshots: [reportFixture()], redacted: false, ...META });
    expect(out).toContain('Not redacted: this report may contain passwords and tokens.');
  });

  it('draws a fleet matrix for several hosts', () => {
    const { snapshots } = redactSnapshots(fleetFixture());
    expect(renderReportHtml({ snapshots, redacted: true, ...META })).toContain('data-testid="fleet-matrix"');
  });

  it('merges hosts that agree into one fleet column', () => {
    const { snapshots } = redactSnapshots(fleetFixture());
    expect(renderReportHtml({ snapshots, redacted: true, ...META })).toMatch(/<span class="col-label">alice@build-1<\/span> <span class="col-label">alice@build-2<\/span>/);
  });

  it('says so when nothing differs', () => {
    const out = renderReportHtml({ snapshots: [makeSnapshot({ login: { A: '1' }, 'bash-interactive': { A: '1' } })], redacted: true, ...META });
    expect(out).toContain('No findings: the captured contexts agree on everything that matters.');
  });

  it('escapes a hostile title', () => {
    const out = renderReportHtml({ snapshots: [], title: '</title><script>x</script>', redacted: true, ...META });
    expect(out).toContain('<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>');
  });
});

describe('buildReportModel', () => {
  const model = buildReportModel({ snapshots: redactSnapshots([reportFixture()]).snapshots, redacted: true, ...META });

  it('picks a proxy finding as the headline', () => {
    expect(['HTTPS_PROXY', 'http_proxy', 'https_proxy']).toContain(model.headline?.finding.variable);
  });

  it('compares only captured contexts', () => {
    expect(model.snapshots[0]?.comparison.columns.map((c) => c.key)).not.toContain('zsh');
  });

  it('resolves curl through the lowercase proxy in an interactive shell', () => {
    const table = model.snapshots[0]?.proxies[0];
    const i = table?.contexts.indexOf('bash-interactive') ?? -1;
    expect(table?.rows.find((r) => r.tool === 'curl')?.decisions[i]).toMatchObject({ kind: 'proxy', variable: 'https_proxy' });
  });

  it('resolves go through the uppercase proxy in the same shell', () => {
    const table = model.snapshots[0]?.proxies[0];
    const i = table?.contexts.indexOf('bash-interactive') ?? -1;
    expect(table?.rows.find((r) => r.tool === 'go')?.decisions[i]).toMatchObject({ kind: 'proxy', proxy: 'http://proxy-old.corp:8080' });
  });

  it('uses git config http.proxy from the tools where a context has it', () => {
    const table = model.snapshots[0]?.proxies[0];
    const i = table?.contexts.indexOf('ssh-command') ?? -1;
    expect(table?.rows.find((r) => r.tool === 'git')?.decisions[i]).toMatchObject({ kind: 'proxy', variable: 'git config http.proxy' });
  });

  it('chooses the context captured in most snapshots for the fleet matrix', () => {
    expect(buildReportModel({ snapshots: fleetFixture(), redacted: false, ...META }).fleet?.context).toBe('ssh-command');
  });

  it('has no fleet matrix for one host', () => {
    expect(model.fleet).toBeUndefined();
  });
});
