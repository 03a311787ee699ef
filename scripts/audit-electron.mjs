// `npm run audit:electron`: Doyensec's electronegativity over the Electron sources, offline,
// failing on any finding that scripts/electronegativity-allow.json does not justify.
//
// What it scans, together (its global checks, such as "is there a CSP" or "are navigation
// and permissions limited", look across all files at once): src/main and src/preload
// (tests left out), the built page out/renderer/index.html (its CSP meta tag) and
// package.json (Electron version, command-line switches). `npm run build` must have run.
//
// Offline: see scripts/audit-electron-offline.mjs. The check that needs Electron's
// release list from GitHub (AvailableSecurityFixesGlobalCheck) is excluded.
// Exit: 0 every finding justified; 1 unjustified findings, stale allow-list entries or a
// network attempt; 2 the tool could not run.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import process from 'node:process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// ENVLENS_AUDIT_ROOT: audit another checkout (used to check that the audit fails on a bad window).
const root = process.env.ENVLENS_AUDIT_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const allowFile = join(here, 'scripts/electronegativity-allow.json');
const tool = join(here, 'node_modules/@doyensec/electronegativity/dist/index.js');
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

function fail(code, message) {
  console.error(`audit:electron: ${message}`);
  process.exit(code);
}

if (!existsSync(tool)) fail(2, 'electronegativity is not installed: run `npm ci`.');
const page = join(root, 'out/renderer/index.html');
if (!existsSync(page)) fail(2, 'out/renderer/index.html is missing: run `npm run build` first (the audit checks the built page\'s CSP).');

// Stage the inputs in one folder, keeping their repository paths.
const stage = mkdtempSync(join(tmpdir(), 'envlens-audit-'));
const netLog = join(stage, '.net.log');
const files = [];
function stageFile(rel) {
  cpSync(join(root, rel), join(stage, 'in', rel));
  files.push(rel);
}
for (const dir of ['src/main', 'src/preload']) {
  for (const name of readdirSync(join(root, dir))) {
    if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && statSync(join(root, dir, name)).isFile()) stageFile(`${dir}/${name}`);
  }
}
stageFile('out/renderer/index.html');
stageFile('package.json');

try {
  const sarif = join(stage, 'result.sarif');
  // Where allowed (root, as in CI), also run it in a network namespace of its own, which
  // has no interface but a downed loopback: nothing can leave even if the guard missed.
  const isolated = spawnSync('unshare', ['-n', 'true']).status === 0;
  const args = ['--import', join(here, 'scripts/audit-electron-offline.mjs'), tool, '-i', join(stage, 'in'), '-r', '-o', sarif, '-x', EXCLUDED_CHECKS.join(',')];
  const run = spawnSync(
    isolated ? 'unshare' : process.execPath,
    isolated ? ['-n', process.execPath, ...args] : args,
    { encoding: 'utf8', env: { ...process.env, ENVLENS_AUDIT_NET_LOG: netLog, LANG: 'en-US' }, timeout: 120_000 },
  );
  if (run.status !== 0 || !existsSync(sarif)) fail(2, `electronegativity failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);

  const attempts = existsSync(netLog) ? readFileSync(netLog, 'utf8').split('\n').filter(Boolean) : [];
  const refused = attempts.filter((a) => a.endsWith('(refused)'));
  if (refused.length) fail(1, `electronegativity tried to reach the network (refused, nothing sent):\n  ${refused.join('\n  ')}`);

  const { allow } = JSON.parse(readFileSync(allowFile, 'utf8'));
  const results = JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results;
  const used = new Set();
  const unjustified = [];
  for (const r of results) {
    const loc = r.locations?.[0]?.physicalLocation;
    const uri = loc?.artifactLocation?.uri ?? '';
    const file = uri.startsWith('file:') ? 'N/A' : relative(join(stage, 'in'), join(stage, 'in', uri));
    const lineNo = loc?.region?.startLine ?? 0;
    const text = file !== 'N/A' && lineNo > 0 ? (readFileSync(join(stage, 'in', file), 'utf8').split('\n')[lineNo - 1] ?? '') : '';
    const index = allow.findIndex((a) => a.check === r.ruleId && a.file === file && text.includes(a.line));
    const where = `${file}${lineNo ? `:${lineNo}` : ''}`;
    if (index >= 0) {
      used.add(index);
      console.log(`  justified  ${r.ruleId} ${where}: ${allow[index].reason}`);
    } else {
      unjustified.push(`${r.ruleId} ${where}: ${r.message?.text ?? ''}\n      ${text.trim()}`);
    }
  }
  const stale = allow.filter((_, i) => !used.has(i)).map((a) => `${a.check} ${a.file} "${a.line}"`);
  console.log(
    `electronegativity: ${files.length} files, ${results.length} findings, ${results.length - unjustified.length} justified in scripts/electronegativity-allow.json; ` +
      `checks excluded: ${EXCLUDED_CHECKS.join(', ')}; network: ${attempts.length} request(s) stubbed, none sent${isolated ? ' (run in an empty network namespace)' : ''}`,
  );
  if (unjustified.length) {
    fail(1, `${unjustified.length} finding(s) without a justification. Fix the code, or if the finding is wrong for this app, add it with a reason to scripts/electronegativity-allow.json and docs/security.md:\n  ${unjustified.join('\n  ')}`);
  }
  if (stale.length) fail(1, `allow-list entries that no longer match any finding (remove them from scripts/electronegativity-allow.json and docs/security.md):\n  ${stale.join('\n  ')}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
