/**
 * Browser mode: the application service and the built UI over HTTP on 127.0.0.1.
 *
 * The same contract as the desktop app's IPC, generated from API_METHODS:
 *
 * - `POST /api/call/<method>` with body `{ "args": [...] }` answers with an
 *   {@link ApiResult} (`{ ok: true, result }` or `{ ok: false, error }`);
 * - `GET /api/events` is a Server-Sent Events stream of {@link ApiEvent}s;
 * - everything else is a file of the built UI.
 *
 * Only loopback, with a fresh random token per launch (see security.ts for the
 * Host/Origin/token gates). Opening the printed `/?token=…` URL trades the token for an
 * HttpOnly, SameSite=Strict session cookie and redirects to the same URL without it,
 * so the token does not linger in the address bar or leak through Referer.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { HTTP_CALL_PREFIX, HTTP_EVENTS_PATH, isApiMethod, type ApiEvent, type ApiResult, type EnvlensApi } from '../shared/api';
import { checkApiArgs } from '../shared/api-args';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { toErrorInfo } from '../shared/errors';
import { isAllowedHost, isAllowedOrigin, isAuthorized, newToken, sameSecret, sessionCookie } from './security';
import { openStaticFile, resolveStaticFile, type StaticFile } from './static-files';

/** The service behind the server: the contract plus its event feed. */
export type ServedService = EnvlensApi & { onEvent(listener: (event: ApiEvent) => void): () => void };

/** Options of {@link startServer}. */
export interface ServerOptions {
  service: ServedService;
  /** Folder of the built UI (out/renderer). */
  staticDir: string;
  /** TCP port on 127.0.0.1. Default 0: any free port. */
  port?: number;
  /** Largest request body accepted, bytes. Default 48 MiB (room for an imported snapshot). */
  maxBodyBytes?: number;
  /** Interval of SSE keep-alive comments, ms. Default 15 000. */
  heartbeatMs?: number;
  /**
   * Measure the event loop's delay and answer `GET /api/debug/event-loop` (behind the
   * same token as everything else) with it, for the responsiveness test
   * (e2e/responsive-under-faults.spec.ts, docs/reliability.md). Default: off, unless the
   * environment has `ENVLENS_DEBUG_EVENT_LOOP=1`.
   */
  debugEventLoop?: boolean;
}

/** Path of the event-loop delay report (only with {@link ServerOptions.debugEventLoop}). */
export const DEBUG_EVENT_LOOP_PATH = '/api/debug/event-loop';

/** A running server. */
export interface RunningServer {
  /** The URL to open: `http://127.0.0.1:<port>/?token=<token>`. */
  url: string;
  port: number;
  /** The access token of this launch (also accepted as `Authorization: Bearer`). */
  token: string;
  /** Stop listening, end event streams and close every connection. */
  close(): Promise<void>;
}

/** The loopback address the server binds; never anything else. */
export const SERVER_HOST = '127.0.0.1';

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Start the browser-mode server; resolves once it listens.
 *
 * Rejects with the listen error (e.g. EADDRINUSE) when the port is taken.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = newToken();
  const maxBody = options.maxBodyBytes ?? 48 * 1024 * 1024;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let port = 0;
  const loop: IntervalHistogram | undefined =
    (options.debugEventLoop ?? process.env.ENVLENS_DEBUG_EVENT_LOOP === '1') ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
  loop?.enable();

  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) response.setHeader(name, value);
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'internal error';
      if (!response.headersSent) sendError(request, response, status, message);
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, port)) throw new HttpError(421, `this server answers only to 127.0.0.1:${port} and localhost:${port}`);
    if (!isAllowedOrigin(request.headers.origin, port)) throw new HttpError(403, 'cross-origin requests are not allowed');
    const raw = request.url ?? '/';
    if (!raw.startsWith('/')) throw new HttpError(400, 'bad request target');
    const q = raw.indexOf('?');
    const path = q === -1 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));

    const offered = query.get('token');
    if (offered !== null && (request.method === 'GET' || request.method === 'HEAD')) {
      if (!sameSecret(offered, token)) throw new HttpError(401, 'wrong token: open the URL that `envlens serve` printed');
      query.delete('token');
      const rest = query.toString();
      // Never `//host…`, which a browser would read as another site.
      const where = `${path.startsWith('//') ? '/' : path}${rest ? `?${rest}` : ''}`;
      if (request.headers['sec-fetch-site'] === 'cross-site') {
        // Opened from another site or from `serve --open`'s file: redirect page: after an
        // HTTP redirect the browser would still count the request as cross-site and hold
        // back the SameSite=Strict cookie, so let the page move on by itself (same-origin).
        const page = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escapeHtml(where)}"><title>envlens</title>`;
        response.writeHead(200, { 'Set-Cookie': sessionCookie(port, token), 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
        response.end(page);
        return;
      }
      response.writeHead(303, { 'Set-Cookie': sessionCookie(port, token), Location: where });
      response.end();
      return;
    }
    // Fetch metadata: only the page itself (same-origin) and the person (typing, a
    // bookmark: none) may go further; other sites, other local ports included, may not.
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'requests from other sites are not allowed');
    if (!isAuthorized(request, port, token)) throw new HttpError(401, 'not signed in: open the URL that `envlens serve` printed (it carries the access token)');

    if (path.startsWith(HTTP_CALL_PREFIX)) return handleCall(request, response, path.slice(HTTP_CALL_PREFIX.length));
    if (path === HTTP_EVENTS_PATH) return handleEvents(request, response);
    if (path === DEBUG_EVENT_LOOP_PATH && loop) return sendEventLoopDelay(response, loop, query.get('reset') === '1');
    if (path.startsWith('/api/')) throw new HttpError(404, 'no such API route');
    return handleStatic(request, response, path);
  }

  async function handleCall(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      throw new HttpError(405, 'API calls are POST requests');
    }
    if (!isApiMethod(name)) return sendJson(response, 404, { ok: false, error: { kind: 'usage', message: `"${name}" is not an envlens API method` } });
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    // Requiring JSON also keeps out HTML form posts, which cannot set this type.
    if (type !== 'application/json') throw new HttpError(415, 'API calls need Content-Type: application/json');
    const text = await readBody(request, maxBody);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(response, 400, { ok: false, error: { kind: 'usage', message: 'the request body is not JSON' } });
    }
    const args = typeof body === 'object' && body !== null ? (body as { args?: unknown }).args : undefined;
    if (!Array.isArray(args)) return sendJson(response, 400, { ok: false, error: { kind: 'usage', message: 'the request body must be {"args": [...]}' } });
    const problem = checkApiArgs(name, args);
    if (problem) return sendJson(response, 400, { ok: false, error: { kind: 'usage', message: problem } });
    let result: ApiResult<unknown>;
    try {
      const fn = options.service[name] as (...a: unknown[]) => Promise<unknown>;
      result = { ok: true, result: await fn.apply(options.service, args) };
    } catch (error) {
      result = { ok: false, error: toErrorInfo(error) };
    }
    sendJson(response, 200, result);
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET') {
      response.setHeader('Allow', 'GET');
      throw new HttpError(405, 'the event stream is a GET request');
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    response.write('retry: 2000\n\n');
    streams.add(response);
    const unsubscribe = options.service.onEvent((event) => {
      // JSON.stringify escapes newlines, so every event is a single `data:` line.
      response.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(response);
    };
    request.on('close', stop);
    response.on('close', stop);
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, 'method not allowed');
    }
    let file = await resolveStaticFile(options.staticDir, path);
    // Paths without an extension are the UI's own routes: give them the app.
    if (!file && !/\.[A-Za-z0-9]+$/.test(path) && !path.includes('..') && !path.includes('%')) file = await resolveStaticFile(options.staticDir, '/');
    if (!file) {
      // Browsers ask for it unprompted; the UI has none, so answer without a console error.
      if (path === '/favicon.ico') {
        response.writeHead(204);
        response.end();
        return;
      }
      if (path === '/' || path === '/index.html') throw new HttpError(503, `the UI is not built (no index.html in ${options.staticDir}): run \`npm run build\``);
      throw new HttpError(404, 'not found');
    }
    sendFile(request, response, file);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, SERVER_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${SERVER_HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        loop?.disable();
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The event loop's delay since the last reset, in ms; `reset` starts a new window after reading. */
function sendEventLoopDelay(response: ServerResponse, loop: IntervalHistogram, reset: boolean): void {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const body = JSON.stringify({
    samples: loop.count,
    meanMs: loop.count ? ms(loop.mean) : 0,
    p50Ms: ms(loop.percentile(50)),
    p99Ms: ms(loop.percentile(99)),
    maxMs: ms(loop.max),
  });
  if (reset) loop.reset();
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendJson(response: ServerResponse, status: number, value: ApiResult<unknown>): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function sendError(request: IncomingMessage, response: ServerResponse, status: number, message: string): void {
  if ((request.url ?? '').startsWith('/api/')) {
    const kind = status === 401 || status === 403 || status === 421 ? 'refused' : status >= 500 ? 'internal' : 'usage';
    return sendJson(response, status, { ok: false, error: { kind, message } });
  }
  const body = `envlens: ${message}\n`;
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function sendFile(request: IncomingMessage, response: ServerResponse, file: StaticFile): void {
  response.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = openStaticFile(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      request.resume();
      return reject(new HttpError(413, `the request body is larger than ${limit} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new HttpError(413, `the request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
