/**
 * The lab's reachability stubs (envlens reach, docs/reachability.md): one small node
 * process listening on loopback only, on fixed ports, that never connects anywhere.
 *
 * - {@link REACH_STUB_PORTS}.http (22180): an HTTP server acting as a forward proxy AND as
 *   a mirror. An absolute-URI request (`HEAD http://goproxy.reach.lab/ HTTP/1.1`, what a
 *   client sends to a proxy) for a lab host name (`*.lab`, `localhost`, 127.x) is answered
 *   by the stub itself, 200, as if forwarded; for any other host it answers 403 and
 *   contacts nothing. An origin-form request (`HEAD /`, `/simple/`, `/goproxy/`) is
 *   answered 200; other paths 404. Every request is appended to `<dir>/reach-stub.log`
 *   as `METHOD URL` so tests can check exactly what was sent.
 * - {@link REACH_STUB_PORTS}.silent (22181): accepts TCP connections and never answers:
 *   a proxy that hangs (timeouts).
 * - {@link REACH_STUB_PORTS}.auth (22182): answers every request 407 Proxy Authentication
 *   Required, as a proxy that wants credentials does.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killAndWait, portAccepts, readProc, sleep } from './proc.js';

/** The stubs' fixed loopback ports (on 127.0.0.1). */
export const REACH_STUB_PORTS = { http: 22180, silent: 22181, auth: 22182 } as const;

/** A loopback port nothing listens on: connections are refused (the "dead proxy"). */
export const REACH_DEAD_PORT = 9;

/** Where the stub keeps its files in the lab dir. */
export function reachStubPaths(dir: string): { script: string; pidFile: string; log: string; requests: string } {
  return { script: join(dir, 'reach-stub.cjs'), pidFile: join(dir, 'reach-stub.pid'), log: join(dir, 'reach-stub.out'), requests: join(dir, 'reach-stub.log') };
}

/** The stub's source (CommonJS, node core only). */
export function reachStubSource(requestLog: string): string {
  return `'use strict';
// envlens test lab: reachability stubs (test-lab/reach-stub.ts). Loopback only; never connects anywhere.
const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const LOG = ${JSON.stringify(requestLog)};
const PORTS = ${JSON.stringify(REACH_STUB_PORTS)};
const labHost = (h) => h === 'localhost' || h.endsWith('.lab') || h.endsWith('.localhost') || /^127\\./.test(h);
const server = http.createServer((req, res) => {
  fs.appendFile(LOG, req.method + ' ' + req.url + '\\n', () => {});
  let status = 404;
  let note = 'not found';
  if (/^https?:\\/\\//i.test(req.url)) {
    let host = '';
    try { host = new URL(req.url).hostname.toLowerCase(); } catch { host = ''; }
    if (labHost(host)) { status = 200; note = 'answered for ' + host + ' by the envlens lab proxy stub'; }
    else { status = 403; note = 'the envlens lab proxy stub serves only lab host names'; }
  } else if (req.url === '/' || req.url === '/simple/' || req.url === '/goproxy/') {
    status = 200; note = 'envlens lab stub';
  }
  res.writeHead(status, { 'content-type': 'text/plain', 'x-envlens-stub': '1' });
  res.end(req.method === 'HEAD' ? undefined : note + '\\n');
});
const silent = net.createServer((socket) => { socket.on('error', () => {}); });
const auth = http.createServer((req, res) => {
  fs.appendFile(LOG, 'AUTH ' + req.method + ' ' + req.url + '\\n', () => {});
  res.writeHead(407, { 'proxy-authenticate': 'Basic realm="envlens-lab"', 'content-type': 'text/plain' });
  res.end(req.method === 'HEAD' ? undefined : 'proxy authentication required\\n');
});
let up = 0;
const ready = () => { if (++up === 3) console.log('REACH-STUB READY'); };
server.listen(PORTS.http, '127.0.0.1', ready);
silent.listen(PORTS.silent, '127.0.0.1', ready);
auth.listen(PORTS.auth, '127.0.0.1', ready);
`;
}

function runningStub(pidFile: string, script: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  const proc = Number.isInteger(pid) && pid > 0 ? readProc(pid) : undefined;
  return proc && proc.argv.includes(script) ? pid : undefined;
}

/**
 * Start the stubs unless they already run from an unchanged script; returns the pid.
 * Throws when a port is taken by something else.
 */
export async function ensureReachStub(dir: string, node: string): Promise<number> {
  const p = reachStubPaths(dir);
  const source = reachStubSource(p.requests);
  const unchanged = existsSync(p.script) && readFileSync(p.script, 'utf8') === source;
  const running = runningStub(p.pidFile, p.script);
  if (running !== undefined && unchanged && (await portAccepts('127.0.0.1', REACH_STUB_PORTS.http))) return running;
  if (running !== undefined) await killAndWait([running]);
  for (const port of Object.values(REACH_STUB_PORTS)) {
    if (await portAccepts('127.0.0.1', port)) throw new Error(`port 127.0.0.1:${port} (reach stub) is already in use by another process; stop it`);
  }
  writeFileSync(p.script, source, { mode: 0o644 });
  writeFileSync(p.requests, '', { mode: 0o644 });
  const fd = openSync(p.log, 'w', 0o644);
  const child = spawn(node, [p.script], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const pid = child.pid!;
  writeFileSync(p.pidFile, `${pid}\n`);
  const deadline = Date.now() + 10_000;
  while (!readFileSync(p.log, 'utf8').includes('REACH-STUB READY')) {
    if (!isAlive(pid) || Date.now() > deadline) throw new Error(`the reach stub did not start; ${p.log}:\n${readFileSync(p.log, 'utf8')}`);
    await sleep(20);
  }
  return pid;
}

/** Stop the stubs if they run. */
export async function stopReachStub(dir: string): Promise<void> {
  const p = reachStubPaths(dir);
  const pid = runningStub(p.pidFile, p.script);
  if (pid !== undefined) await killAndWait([pid]);
}
