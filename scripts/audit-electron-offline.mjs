// Preloaded (node --import) into electronegativity by scripts/audit-electron.mjs, so the
// audit sends nothing off this machine.
//
// electronegativity reaches the network in two places, both through the `got` package:
// it downloads translations at start-up (locales/i18n.js) and Electron's release list
// (AvailableSecurityFixesGlobalCheck, which the audit also excludes). `got` is replaced
// by a stub that answers "no content" at once, so the built-in English texts are used.
// As a backstop, every DNS lookup of a non-loopback name and every TCP connection to a
// non-loopback address is refused and written to ENVLENS_AUDIT_NET_LOG; the audit fails
// if that file is not empty.
import dns from 'node:dns';
import fs from 'node:fs';
import Module from 'node:module';
import net from 'node:net';
import process from 'node:process';

const log = process.env.ENVLENS_AUDIT_NET_LOG;
const isLoopback = (host) => host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';
function record(what) {
  if (log) fs.appendFileSync(log, `${what}\n`);
}

const load = Module._load;
Module._load = function loadOffline(request, ...rest) {
  if (request === 'got') {
    const offline = (url) => {
      record(`got ${String(url)} (stubbed, not sent)`);
      return Promise.resolve({ statusCode: 204, body: '{}', headers: {} });
    };
    return Object.assign(offline, { get: offline, head: offline });
  }
  return load.call(this, request, ...rest);
};

const lookup = dns.lookup;
dns.lookup = function lookupLoopbackOnly(host, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  if (!isLoopback(String(host))) {
    record(`dns ${host} (refused)`);
    const error = Object.assign(new Error(`audit is offline: refused to resolve ${host}`), { code: 'ENOTFOUND' });
    process.nextTick(cb, error);
    return {};
  }
  return lookup.call(this, host, options, callback);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectLoopbackOnly(...args) {
  // net.connect() passes its already normalized [options, callback] array as the first argument.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === 'object' ? first : { port: first, host: args[1] };
  const host = options.host ?? 'localhost';
  if (!options.path && net.isIP(host) && !isLoopback(host)) {
    record(`connect ${host}:${options.port} (refused)`);
    process.nextTick(() => this.destroy(Object.assign(new Error(`audit is offline: refused to connect to ${host}`), { code: 'ECONNREFUSED' })));
    return this;
  }
  return connect.apply(this, args);
};
