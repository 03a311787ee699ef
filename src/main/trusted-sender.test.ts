import { describe, expect, it } from 'vitest';
import { createTrustedSenderCheck } from './trusted-sender';

const prod = createTrustedSenderCheck({ rendererIndexFile: '/opt/envlens/out/renderer/index.html' });
const dev = createTrustedSenderCheck({ rendererIndexFile: '/opt/envlens/out/renderer/index.html', devServerUrl: 'http://localhost:5173/' });

describe('createTrustedSenderCheck', () => {
  it('accepts the app’s own index.html', () => {
    expect(prod('file:///opt/envlens/out/renderer/index.html')).toBe(true);
  });
  it('ignores the query and fragment of the app’s page', () => {
    expect(prod('file:///opt/envlens/out/renderer/index.html#/compare?a=1')).toBe(true);
  });
  it('refuses a foreign https page', () => {
    expect(prod('https://evil.example/')).toBe(false);
  });
  it('refuses another local file', () => {
    expect(prod('file:///tmp/evil.html')).toBe(false);
    expect(prod('file:///opt/envlens/out/renderer/../../evil/index.html')).toBe(false);
  });
  it('refuses a file URL with a host', () => {
    expect(prod('file://evil.example/opt/envlens/out/renderer/index.html')).toBe(false);
  });
  it('refuses no URL, garbage and about:blank', () => {
    expect(prod(undefined)).toBe(false);
    expect(prod('')).toBe(false);
    expect(prod('not a url')).toBe(false);
    expect(prod('about:blank')).toBe(false);
  });
  it('refuses the dev server URL when no dev server is configured', () => {
    expect(prod('http://localhost:5173/')).toBe(false);
  });
  it('accepts the dev server’s origin in dev', () => {
    expect(dev('http://localhost:5173/index.html')).toBe(true);
  });
  it('refuses other ports and hosts in dev', () => {
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('https://evil.example/')).toBe(false);
  });
  it('never trusts a dev server URL that is not on loopback', () => {
    const remote = createTrustedSenderCheck({ rendererIndexFile: '/x/index.html', devServerUrl: 'http://evil.example:5173/' });
    expect(remote('http://evil.example:5173/')).toBe(false);
  });
});
