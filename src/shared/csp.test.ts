import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from './csp';

const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('CONTENT_SECURITY_POLICY', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);
  it('allows no eval anywhere', () => expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval/));
  it('allows no inline script or style', () => expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline/));
  it('denies everything by default', () => expect(csp.get('default-src')).toEqual(["'none'"]));
  it('loads script only from the app', () => expect(csp.get('script-src')).toEqual(["'self'"]));
  it('allows images from the app and data: URLs', () => expect(csp.get('img-src')).toEqual(["'self'", 'data:']));
  it('connects only to the app', () => expect(csp.get('connect-src')).toEqual(["'self'"]));
  it('forbids plugins, <base> and form posts', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });
  it('forbids framing', () => expect(csp.get('frame-ancestors')).toEqual(["'none'"]));
});

describe('contentSecurityPolicy', () => {
  it('is the strict policy by default', () => expect(contentSecurityPolicy()).toBe(CONTENT_SECURITY_POLICY));
  it('leaves frame-ancestors out of a <meta> policy', () => expect(contentSecurityPolicy({ forMeta: true })).not.toMatch(/frame-ancestors/));
  it('adds the dev server websocket and inline preamble only in dev, still without eval', () => {
    const dev = contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' });
    expect(directives(dev).get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(dev).not.toMatch(/unsafe-eval/);
  });
});
