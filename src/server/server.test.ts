import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, type ApiEvent, type EnvlensApi } from '../shared/api';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { EnvlensError } from '../shared/errors';
import { startServer, type RunningServer, type ServedService } from './server';

/** A stand-in service: records calls, emits events on demand. */
function fakeService(): ServedService & { emit(event: ApiEvent): void; calls: unknown[][] } {
  const listeners = new Set<(event: ApiEvent) => void>();
  const calls: unknown[][] = [];
  const api: Partial<EnvlensApi> = {
    listTargets: async () => [{ target: 'local', source: 'builtin', description: 'this machine' }],
    getSnapshot: async (id: string) => {
      throw new EnvlensError('usage', `there is no saved snapshot "${id}"`);
    },
    exportSnapshot: async (id: string, options?: { redact?: boolean }) => `${id}:${options?.redact ?? 'default'}`,
    importSnapshot: async (json: string) => ({ id: 'i', target: 't', hostname: 'h', capturedAt: '', statuses: { ok: json.length } }),
  };
  const service = Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      async (...args: unknown[]) => {
        calls.push([m, ...args]);
        const impl = api[m] as ((...a: unknown[]) => Promise<unknown>) | undefined;
        return impl ? impl(...args) : undefined;
      },
    ]),
  ) as unknown as EnvlensApi;
  return {
    ...service,
    calls,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event) => {
      for (const l of listeners) l(event);
    },
  };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: RunningServer;
let service: ReturnType<typeof fakeService>;
let staticDir: string;
let outside: string;

/** A raw HTTP request, with full control over Host, Origin and the path as sent. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string; auth?: boolean } = {}): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...options.headers };
  if (options.auth !== false && !headers.Authorization && !headers.Cookie) headers.Authorization = `Bearer ${server.token}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (method: string, args: unknown[], headers: Record<string, string> = {}, auth = true) =>
  send(`/api/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ args }), auth });

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'envlens-server-'));
  staticDir = join(root, 'renderer');
  outside = join(root, 'secret.txt');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>envlens</title>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(staticDir, 'assets', 'app.css'), 'body{}');
  await writeFile(outside, 'TOP SECRET');
  await symlink(outside, join(staticDir, 'assets', 'link.txt'));
  service = fakeService();
  server = await startServer({ service, staticDir });
});
afterAll(async () => {
  await server.close();
  await rm(join(staticDir, '..'), { recursive: true, force: true });
});

describe('startServer', () => {
  it('listens on 127.0.0.1 and prints a URL with a 32-byte token', () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  describe('authentication', () => {
    it('refuses a request without the token (401)', async () => {
      expect((await send('/', { auth: false })).status).toBe(401);
      const before = service.calls.length;
      const reply = await call('listTargets', [], {}, false);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { kind: 'refused' } });
      expect(service.calls.length).toBe(before);
    });

    it('refuses a wrong bearer token (401)', async () => {
      expect((await send('/', { headers: { Authorization: `Bearer ${'0'.repeat(64)}` } })).status).toBe(401);
    });

    it('refuses a wrong ?token= (401) and sets no cookie', async () => {
      const reply = await send('/?token=nope', { auth: false });
      expect(reply.status).toBe(401);
      expect(reply.headers['set-cookie']).toBeUndefined();
    });

    it('trades the right ?token= for an HttpOnly SameSite=Strict cookie and strips it from the URL', async () => {
      const reply = await send(`/?token=${server.token}`, { auth: false });
      expect(reply.status).toBe(303);
      expect(reply.headers.location).toBe('/');
      const cookie = reply.headers['set-cookie']?.[0] ?? '';
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const session = cookie.split(';')[0]!;
      const page = await send('/', { auth: false, headers: { Cookie: session } });
      expect(page.status).toBe(200);
    });

    it('lets a page opened from elsewhere (cross-site) move on by itself, so the strict cookie is sent', async () => {
      const reply = await send(`/?token=${server.token}`, { auth: false, headers: { 'Sec-Fetch-Site': 'cross-site' } });
      expect(reply.status).toBe(200);
      expect(reply.headers['set-cookie']?.[0]).toMatch(/SameSite=Strict/);
      expect(reply.body).toContain('<meta http-equiv="refresh" content="0;url=/">');
    });

    it('refuses a cross-site or same-site (other port) request even with the session', async () => {
      expect((await send('/', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
      expect((await send('/api/events', { headers: { 'Sec-Fetch-Site': 'same-site' } })).status).toBe(403);
      expect((await send('/', { headers: { 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
    });

    it('refuses a cookie with the wrong value', async () => {
      expect((await send('/', { auth: false, headers: { Cookie: `envlens-session-${server.port}=${'f'.repeat(64)}` } })).status).toBe(401);
    });
  });

  describe('DNS rebinding and cross-origin requests', () => {
    it('refuses a Host that is not the server (evil.example:PORT)', async () => {
      const reply = await send('/', { headers: { Host: `evil.example:${server.port}` } });
      expect(reply.status).toBe(421);
    });

    it('refuses a loopback Host on another port', async () => {
      expect((await send('/', { headers: { Host: `127.0.0.1:${server.port + 1}` } })).status).toBe(421);
    });

    it('accepts localhost:PORT as Host', async () => {
      expect((await send('/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
    });

    it('refuses a foreign Origin even with the token (403)', async () => {
      const before = service.calls.length;
      const reply = await call('listTargets', [], { Origin: 'https://evil.example' });
      expect(reply.status).toBe(403);
      expect(service.calls.length).toBe(before);
    });

    it('refuses another local port as Origin', async () => {
      expect((await call('listTargets', [], { Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    });

    it('accepts the server’s own Origin', async () => {
      expect((await call('listTargets', [], { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    });
  });

  describe('API calls', () => {
    it('answers a good call with { ok: true, result }', async () => {
      const reply = await call('listTargets', []);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(reply.body)).toEqual({ ok: true, result: [{ target: 'local', source: 'builtin', description: 'this machine' }] });
    });

    it('passes arguments, optional ones included', async () => {
      expect(JSON.parse((await call('exportSnapshot', ['a1', { redact: false }])).body)).toEqual({ ok: true, result: 'a1:false' });
    });

    it('returns a service error as { ok: false, error }', async () => {
      expect(JSON.parse((await call('getSnapshot', ['zz'])).body)).toEqual({ ok: false, error: { kind: 'usage', message: 'there is no saved snapshot "zz"' } });
    });

    it('routes startReach and cancelReach, and refuses a reach request with an unknown key before the service sees it', async () => {
      const request = { target: 'lab', snapshotId: 's1', context: 'login', endpoints: ['proxy http://127.0.0.1:3128/'] };
      expect((await call('startReach', [request])).status).toBe(200);
      expect((await call('cancelReach', ['r1'])).status).toBe(200);
      expect(service.calls.slice(-2)).toEqual([['startReach', request], ['cancelReach', 'r1']]);
      const before = service.calls.length;
      expect((await call('startReach', [{ ...request, url: 'http://evil.example/' }])).status).toBe(400);
      expect(service.calls.length).toBe(before);
    });

    it('refuses a method that is not in the contract', async () => {
      const reply = await call('constructor', []);
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false });
    });

    it('refuses bad arguments before the service sees them', async () => {
      const before = service.calls.length;
      const reply = await call('getSnapshot', [1, 2]);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { kind: 'usage' } });
      expect(service.calls.length).toBe(before);
    });

    it('refuses a body that is not JSON, or not { args: [...] }', async () => {
      expect((await send('/api/call/listTargets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' })).status).toBe(400);
      expect((await send('/api/call/listTargets', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"args":{}}' })).status).toBe(400);
    });

    it('refuses a form post (no JSON content type)', async () => {
      expect((await send('/api/call/listTargets', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"args":[]}' })).status).toBe(415);
    });

    it('refuses GET on a call route', async () => {
      expect((await send('/api/call/listTargets')).status).toBe(405);
    });

    it('refuses a body over the size limit (413)', async () => {
      const small = await startServer({ service, staticDir, maxBodyBytes: 1024 });
      try {
        const reply = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(
            { host: '127.0.0.1', port: small.port, path: '/api/call/importSnapshot', method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${small.token}` } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ args: ['x'.repeat(4096)] }));
        });
        expect(reply).toBe(413);
      } finally {
        await small.close();
      }
    });
  });

  describe('events', () => {
    it('streams an event over SSE', async () => {
      const received = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: server.port, path: '/api/events', headers: { Authorization: `Bearer ${server.token}` } },
          (res) => {
            expect(res.statusCode).toBe(200);
            expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              if (text.includes('retry:') && !text.includes('data:')) service.emit({ type: 'snapshots-changed' });
              const m = /data: (.*)\n\n/.exec(text);
              if (m) {
                req.destroy();
                resolve(m[1]!);
              }
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(received)).toEqual({ type: 'snapshots-changed' });
    });

    it('refuses the event stream without the token', async () => {
      expect((await send('/api/events', { auth: false })).status).toBe(401);
    });
  });

  describe('static files', () => {
    it('serves index.html with the CSP, nosniff and the right type', async () => {
      const reply = await send('/');
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<title>envlens</title>');
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    });

    it.each([
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
    ])('serves %s as %s', async (path, type) => {
      const reply = await send(path);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe(type);
    });

    it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/assets/link.txt', '/%00'])('blocks %s', async (path) => {
      const reply = await send(path);
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('TOP SECRET');
    });

    it('answers 404 for a missing file', async () => {
      expect((await send('/assets/missing.js')).status).toBe(404);
    });

    it('refuses other methods', async () => {
      expect((await send('/', { method: 'DELETE' })).status).toBe(405);
    });
  });
});
