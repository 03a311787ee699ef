import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-links';

describe('isAllowedExternalUrl', () => {
  it('allows https documentation links on the list', () => {
    expect(isAllowedExternalUrl('https://code.visualstudio.com/docs/remote/ssh')).toBe(true);
    expect(isAllowedExternalUrl('https://docs.github.com/en')).toBe(true);
  });
  it('refuses other schemes', () => {
    expect(isAllowedExternalUrl('http://github.com/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });
  it('refuses hosts off the list, look-alikes included', () => {
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://evilgithub.com/')).toBe(false);
  });
  it('refuses credentials and odd ports', () => {
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com:8443/')).toBe(false);
  });
});
