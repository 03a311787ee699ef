import { describe, expect, it } from 'vitest';
import { matchNoProxy, type NoProxyRules } from './no-proxy';
import { parseRequestUrl } from './request-url';

interface Case {
  rules: NoProxyRules;
  list: string;
  url: string;
  /** The matching entry, or null when the proxy is used. */
  match: string | null;
  why: string;
}

const cases: Case[] = [
  // curl ≥ 7.86, lib/noproxy.c and CURLOPT_NOPROXY(3): "a leading period is a domain match",
  // "example.com matches www.example.com but not nonexample.com", "* alone matches all",
  // CIDR for IP hosts since 7.86.
  { rules: 'curl', list: 'example.com', url: 'http://www.example.com', match: 'example.com', why: 'domain matches subdomains' },
  { rules: 'curl', list: 'example.com', url: 'http://nonexample.com', match: null, why: 'suffix needs a dot boundary' },
  { rules: 'curl', list: '.example.com', url: 'http://example.com', match: '.example.com', why: 'leading dot is ignored' },
  { rules: 'curl', list: 'EXAMPLE.com.', url: 'http://www.example.com', match: 'EXAMPLE.com.', why: 'case-insensitive, trailing dot ignored' },
  { rules: 'curl', list: '*', url: 'http://anything.test', match: '*', why: 'a lone * matches all' },
  { rules: 'curl', list: 'a.test,*', url: 'http://anything.test', match: null, why: '* inside a list is not special' },
  { rules: 'curl', list: ' a.test , b.test', url: 'http://b.test', match: 'b.test', why: 'blanks around commas are skipped' },
  { rules: 'curl', list: 'a.test b.test', url: 'http://b.test', match: null, why: 'a blank not followed by a comma ends the list' },
  { rules: 'curl', list: '10.0.0.0/8', url: 'http://10.1.2.3', match: '10.0.0.0/8', why: 'IPv4 CIDR' },
  { rules: 'curl', list: '10.0.0.0/8', url: 'http://11.1.2.3', match: null, why: 'outside the prefix' },
  { rules: 'curl', list: 'fd00::/8', url: 'http://[fd12::1]', match: 'fd00::/8', why: 'IPv6 CIDR' },
  { rules: 'curl', list: '127.0.0.1', url: 'http://localhost', match: null, why: 'no name/address equivalence' },
  { rules: 'curl', list: 'example.com:8080', url: 'http://example.com:8080', match: null, why: 'ports are not supported' },
  // Go, golang.org/x/net/http/httpproxy Config.NoProxy doc comment.
  { rules: 'go', list: 'foo.com', url: 'https://bar.foo.com', match: 'foo.com', why: '"foo.com" matches "bar.foo.com"' },
  { rules: 'go', list: 'foo.com', url: 'https://foo.com', match: 'foo.com', why: '"foo.com" matches "foo.com"' },
  { rules: 'go', list: '.y.com', url: 'https://y.com', match: null, why: '".y.com" does not match "y.com"' },
  { rules: 'go', list: '.y.com', url: 'https://x.y.com', match: '.y.com', why: '".y.com" matches "x.y.com"' },
  { rules: 'go', list: '*.y.com', url: 'https://x.y.com', match: '*.y.com', why: '*.domain form' },
  { rules: 'go', list: 'a.test, *', url: 'https://z.test', match: '*', why: '* anywhere in the list' },
  { rules: 'go', list: '1.2.3.4/8', url: 'http://1.99.0.1', match: '1.2.3.4/8', why: 'IPv4 CIDR' },
  { rules: 'go', list: '2001:db8::/32', url: 'http://[2001:db8::5]', match: '2001:db8::/32', why: 'IPv6 CIDR' },
  { rules: 'go', list: '1.2.3.4:80', url: 'http://1.2.3.4', match: '1.2.3.4:80', why: 'IP with port; request port defaults to 80' },
  { rules: 'go', list: '1.2.3.4:80', url: 'https://1.2.3.4', match: null, why: 'https defaults to 443' },
  { rules: 'go', list: 'foo.com:443', url: 'https://bar.foo.com', match: 'foo.com:443', why: 'domain with port' },
  { rules: 'go', list: 'FOO.com', url: 'https://foo.com', match: 'FOO.com', why: 'entries are lowercased' },
  // Python requests, utils.should_bypass_proxies: plain endswith, IPv4 CIDR.
  { rules: 'requests', list: 'example.com', url: 'https://badexample.com', match: 'example.com', why: 'no dot boundary' },
  { rules: 'requests', list: '10.0.0.0/8', url: 'http://10.2.3.4', match: '10.0.0.0/8', why: 'IPv4 CIDR' },
  { rules: 'requests', list: 'a.test, b.test', url: 'https://b.test', match: 'b.test', why: 'spaces removed' },
  // Python urllib, proxy_bypass_environment.
  { rules: 'urllib', list: '.example.com', url: 'https://example.com', match: '.example.com', why: 'leading dots are stripped' },
  { rules: 'urllib', list: 'example.com', url: 'https://badexample.com', match: null, why: 'dot boundary' },
  { rules: 'urllib', list: '*', url: 'https://x.test', match: '*', why: '* alone bypasses all' },
  // wget manual "Proxies" and src/host.c sufmatch.
  { rules: 'wget', list: 'example.com', url: 'https://www.example.com', match: 'example.com', why: 'subdomain at a dot' },
  { rules: 'wget', list: '.example.com', url: 'https://example.com', match: null, why: 'dot-prefixed entries match subdomains only' },
  { rules: 'wget', list: 'example.com', url: 'https://badexample.com', match: null, why: 'dot boundary' },
  { rules: 'wget', list: '*', url: 'https://x.test', match: null, why: '* is not special' },
  // Node.js lib/internal/http.js ProxyConfig.shouldUseProxy.
  { rules: 'node', list: 'example.com', url: 'https://www.example.com', match: null, why: 'a bare name is an exact match only' },
  { rules: 'node', list: '.example.com', url: 'https://example.com', match: '.example.com', why: 'leading dot: suffix without the dot' },
  { rules: 'node', list: '*.example.com', url: 'https://www.example.com', match: '*.example.com', why: 'wildcard subdomain' },
  { rules: 'node', list: 'example.com:8443', url: 'https://example.com:8443', match: 'example.com:8443', why: 'host:port' },
  { rules: 'node', list: '10.0.0.1-10.0.0.9', url: 'http://10.0.0.5', match: '10.0.0.1-10.0.0.9', why: 'IPv4 range' },
  { rules: 'node', list: 'a.test,*', url: 'https://x.test', match: '*', why: '* entry' },
  // npm, @npmcli/agent lib/proxy.js isNoProxy: label-wise suffix.
  { rules: 'npm', list: '.example.com', url: 'https://registry.example.com', match: '.example.com', why: 'labels compared from the right' },
  { rules: 'npm', list: 'example.com', url: 'https://badexample.com', match: null, why: 'whole labels only' },
  { rules: 'npm', list: 'Example.com', url: 'https://example.com', match: null, why: 'case-sensitive entries' },
];

describe('matchNoProxy', () => {
  it.each(cases)('$rules: $list vs $url → $match ($why)', ({ rules, list, url, match }) => {
    const target = parseRequestUrl(url);
    if (!target) throw new Error(`bad url ${url}`);
    expect(matchNoProxy(rules, list, target) ?? null).toBe(match);
  });
});
