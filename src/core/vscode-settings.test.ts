import { describe, expect, it } from 'vitest';
import { findFindings } from './findings';
import { redactSnapshot } from './redact';
import { makeSnapshot } from './test-snapshot';
import {
  VSCODE_SETTINGS_LIMIT,
  buildVscodeSettings,
  describeOverlayEntry,
  parseSettingsListing,
  readVscodeSettingsText,
  renderVscodeSettingsText,
  substituteGoToolsValue,
  substituteTerminalValue,
  vscodeSettingsFromBlocks,
  type SettingsListing,
} from './vscode-settings';
import { buildProbeCommand } from './probe-script';
import { base64Decode, utf8Encode } from './bytes';
import type { Snapshot } from '../shared/model';

const MACHINE = '/home/zoe/.vscode-server/data/Machine/settings.json';
const FOLDER = '/home/zoe/proj/.vscode/settings.json';
const WORKSPACE_FILE = '/home/zoe/proj/proj.code-workspace';

/** Machine settings as people write them: comments of both kinds, trailing commas. */
const MACHINE_TEXT = [
  '// machine settings', //                                          1
  '{', //                                                            2
  '  /* block comment', //                                           3
  '     over two lines */', //                                       4
  '  "go.toolsEnvVars": {', //                                       5
  '    "GOPROXY": "https://goproxy.vscode.lab,direct", // comment', // 6
  '    "GOFLAGS": "-mod=mod",', //                                   7
  '    "EL_TOOLS": "${env:HOME}/tools:${env: MISSING }",', //        8
  '  },', //                                                         9
  '  "terminal.integrated.env.linux": {', //                         10
  '    "EL_TERM": "${env:EL_BASE}-term",', //                        11
  '    "EL_DROP": null,', //                                         12
  '  },', //                                                         13
  '  "http.proxy": "http://proxy.vscode.lab:3128",', //              14
  '  "terminal.integrated.inheritEnv": false,', //                   15
  '}', //                                                            16
].join('\n');

const EXTHOST_ENV = { HOME: '/home/zoe', EL_BASE: 'base', EL_DROP: 'here', GOPROXY: 'https://proxy.golang.org,direct' };

function listing(files: [scope: 'machine' | 'workspace-file' | 'folder', path: string, size?: number][], workspace?: string): SettingsListing {
  return {
    files: files.map(([scope, path, size], index) => ({ index, scope, path, size: size ?? 100 })),
    ...(workspace ? { workspace, workspaceFound: true } : {}),
  };
}

function contexts(cmdline = 'node bootstrap-fork --type=extensionHost --useHostProxy=false'): Snapshot['contexts'] {
  return makeSnapshot({
    'vscode-server': { HOME: '/home/zoe' },
    'vscode-exthost': { status: 'ok', env: EXTHOST_ENV, process: { pid: 2, cmdline } },
  }).contexts;
}

describe('readVscodeSettingsText', () => {
  it('reads JSON with line and block comments and trailing commas, keeping each value’s line', () => {
    const file = readVscodeSettingsText(MACHINE_TEXT, MACHINE, 'machine');
    expect(file.problems).toEqual([]);
    expect(file.settings.map((s) => [s.key, s.variable, s.value, s.line])).toEqual([
      ['go.toolsEnvVars', 'GOPROXY', 'https://goproxy.vscode.lab,direct', 6],
      ['go.toolsEnvVars', 'GOFLAGS', '-mod=mod', 7],
      ['go.toolsEnvVars', 'EL_TOOLS', '${env:HOME}/tools:${env: MISSING }', 8],
      ['terminal.integrated.env.linux', 'EL_TERM', '${env:EL_BASE}-term', 11],
      ['terminal.integrated.env.linux', 'EL_DROP', null, 12],
      ['http.proxy', undefined, 'http://proxy.vscode.lab:3128', 14],
      ['terminal.integrated.inheritEnv', undefined, false, 15],
    ]);
  });

  it('marks terminal.integrated.inheritEnv as ignored on the host (application scope)', () => {
    const file = readVscodeSettingsText(MACHINE_TEXT, MACHINE, 'machine');
    expect(file.settings.find((s) => s.key === 'terminal.integrated.inheritEnv')?.ignored).toMatch(/application-scoped/);
  });

  it('keeps what parses from malformed JSON and reports the error with its line', () => {
    const text = ['{', '  "go.toolsEnvVars": { "GOPROXY": "https://a.lab" },', '  "http.proxy": ,', '  "terminal.integrated.env.linux": { "X": "1" }', '}'].join('\n');
    const file = readVscodeSettingsText(text, MACHINE, 'machine');
    expect(file.settings.map((s) => `${s.variable ?? s.key}:${s.line}`)).toEqual(['GOPROXY:2', 'X:4']);
    expect(file.problems[0]).toEqual({ line: 3, message: 'JSON error: ValueExpected' });
  });

  it('never throws on bytes that are not JSON at all', () => {
    for (const text of ['', '\0\xff garbage', '[1,2]', '"x"', '{"go.toolsEnvVars": "not an object"}', '{'.repeat(10000)]) {
      expect(() => readVscodeSettingsText(text, MACHINE, 'machine')).not.toThrow();
    }
    expect(readVscodeSettingsText('[1,2]', MACHINE, 'machine').problems[0]?.message).toMatch(/not a JSON object/);
    expect(readVscodeSettingsText('{"go.toolsEnvVars": "x"}', MACHINE, 'machine').problems[0]?.message).toMatch(/must be an object/);
  });

  it('reads a .code-workspace file’s settings block only, and ignores machine-scoped http.proxy there', () => {
    const text = '{ "folders": [{"path": "."}], "go.toolsEnvVars": {"TOP": "no"},\n "settings": {\n "go.toolsEnvVars": {"GOPROXY": "ws"},\n "http.proxy": "http://p:1" } }';
    const file = readVscodeSettingsText(text, WORKSPACE_FILE, 'workspace-file');
    expect(file.settings.map((s) => [s.variable ?? s.key, s.line, s.ignored !== undefined])).toEqual([
      ['GOPROXY', 3, false],
      ['http.proxy', 4, true],
    ]);
  });

  it('lets the last of duplicate keys win, as VS Code does', () => {
    const file = readVscodeSettingsText('{"go.toolsEnvVars": {"A": "1"},\n"go.toolsEnvVars": {"A": "2"}}', MACHINE, 'machine');
    expect(file.settings).toEqual([{ key: 'go.toolsEnvVars', variable: 'A', value: '2', line: 2 }]);
  });
});

describe('substitution', () => {
  it('does what vscode-go does to go.toolsEnvVars: ${env:} (trimmed, empty when unset), ${workspaceFolder}, ~', () => {
    const env = { HOME: '/home/zoe' };
    expect(substituteGoToolsValue('${env:HOME}/t:${env: NOPE }', env, undefined, '/home/zoe')).toBe('/home/zoe/t:');
    expect(substituteGoToolsValue('${workspaceFolder}/.gopath:${workspaceRoot}/x:${workspaceFolderBasename}', env, '/home/zoe/proj', '/home/zoe')).toBe(
      '/home/zoe/proj/.gopath:/home/zoe/proj/x:proj',
    );
    expect(substituteGoToolsValue('~/go', env, undefined, '/home/zoe')).toBe('/home/zoe/go');
    expect(substituteGoToolsValue('${workspaceFolder}/x', env, undefined, '/home/zoe')).toBe('${workspaceFolder}/x');
  });

  it('resolves terminal values from the terminal’s base environment and leaves unknown variables alone', () => {
    expect(substituteTerminalValue('${env:EL_BASE}-${userHome}-${unknown}', { EL_BASE: 'b' }, undefined, '/home/zoe')).toBe('b-/home/zoe-${unknown}');
  });
});

describe('buildVscodeSettings (precedence and overlay)', () => {
  const folderText = '{ "go.toolsEnvVars": { "GOFLAGS": "-mod=vendor", "GOPATH": "${workspaceFolder}/.gopath" } }';
  const wsText = '{ "settings": { "go.toolsEnvVars": { "GOPROXY": "https://ws.lab", "GOFLAGS": "-mod=readonly" } } }';

  it('workspace folder > workspace file > remote machine, merged per variable, with who lost', () => {
    const s = buildVscodeSettings({
      listing: listing([['folder', FOLDER], ['machine', MACHINE], ['workspace-file', WORKSPACE_FILE]], '/home/zoe/proj'),
      texts: new Map([[0, folderText], [1, MACHINE_TEXT], [2, wsText]]),
      contexts: contexts(),
      home: '/home/zoe',
      workspace: '~/proj',
    })!;
    expect(s.files.map((f) => f.scope)).toEqual(['machine', 'workspace-file', 'folder']);
    const go = Object.fromEntries(s.overlay.goTools.map((e) => [e.variable, e]));
    expect([go.GOFLAGS?.value, go.GOFLAGS?.file, go.GOFLAGS?.shadowed?.map((x) => x.raw)]).toEqual(['-mod=vendor', FOLDER, ['-mod=mod', '-mod=readonly']]);
    expect([go.GOPROXY?.value, go.GOPROXY?.file, go.GOPROXY?.baseValue]).toEqual(['https://ws.lab', WORKSPACE_FILE, 'https://proxy.golang.org,direct']);
    expect(go.GOPATH?.value).toBe('/home/zoe/proj/.gopath');
    expect(go.EL_TOOLS?.value).toBe('/home/zoe/tools:');
  });

  it('terminal.integrated.env.linux: a string sets (resolved), null unsets', () => {
    const s = buildVscodeSettings({ listing: listing([['machine', MACHINE]]), texts: new Map([[0, MACHINE_TEXT]]), contexts: contexts(), home: '/home/zoe' })!;
    expect(s.overlay.terminal.map((e) => [e.variable, e.value, e.baseValue])).toEqual([
      ['EL_DROP', undefined, 'here'],
      ['EL_TERM', 'base-term', undefined],
    ]);
  });

  it('http.proxy applies when the extension host runs with --useHostProxy=false, and wins over go.toolsEnvVars for the four proxy variables', () => {
    const text = '{ "go.toolsEnvVars": { "http_proxy": "http://tools.lab:1" }, "http.proxy": "http://proxy.vscode.lab:3128" }';
    const s = buildVscodeSettings({ listing: listing([['machine', MACHINE]]), texts: new Map([[0, text]]), contexts: contexts() })!;
    expect(s.overlay.httpProxy?.value).toBe('http://proxy.vscode.lab:3128');
    expect(s.overlay.goTools.filter((e) => /proxy/i.test(e.variable)).map((e) => [e.variable, e.value, e.key])).toEqual([
      ['HTTPS_PROXY', 'http://proxy.vscode.lab:3128', 'http.proxy'],
      ['HTTP_PROXY', 'http://proxy.vscode.lab:3128', 'http.proxy'],
      ['http_proxy', 'http://proxy.vscode.lab:3128', 'http.proxy'],
      ['https_proxy', 'http://proxy.vscode.lab:3128', 'http.proxy'],
    ]);
  });

  it('http.proxy is ignored when the extension host uses the local proxy (--useHostProxy=true)', () => {
    const s = buildVscodeSettings({
      listing: listing([['machine', MACHINE]]),
      texts: new Map([[0, MACHINE_TEXT]]),
      contexts: contexts('node bootstrap-fork --type=extensionHost --useHostProxy=true'),
    })!;
    expect(s.overlay.httpProxy).toBeUndefined();
    expect(s.files[0]!.settings.find((x) => x.key === 'http.proxy')?.ignored).toMatch(/useHostProxy=true/);
  });

  it('says user settings are not readable, and when no workspace was named', () => {
    const s = buildVscodeSettings({ listing: listing([['machine', MACHINE]]), texts: new Map([[0, MACHINE_TEXT]]), contexts: contexts() })!;
    expect(s.notes.join('\n')).toMatch(/User settings live on your computer/);
    expect(s.notes.join('\n')).toMatch(/No workspace folder was named/);
    expect(s.notes.join('\n')).toMatch(/inheritEnv to false, which VS Code ignores there/);
  });

  it('reports a truncated huge file and a workspace folder that does not exist', () => {
    const s = buildVscodeSettings({
      listing: { files: [{ index: 0, scope: 'machine', path: MACHINE, size: VSCODE_SETTINGS_LIMIT + 5 }], workspace: '/nope', workspaceFound: false },
      texts: new Map([[0, '{"go.toolsEnvVars": {"A": "1"'.padEnd(100, ' ')]]),
      contexts: contexts(),
      workspace: '/nope',
    })!;
    expect(s.files[0]!.truncated).toBe(true);
    expect(s.files[0]!.settings.map((x) => x.variable)).toEqual(['A']);
    expect(s.notes.join('\n')).toMatch(/\/nope does not exist/);
  });

  it('is undefined when the host has no settings file and no workspace was asked for', () => {
    expect(buildVscodeSettings({ listing: { files: [] }, texts: new Map(), contexts: contexts() })).toBeUndefined();
  });
});

describe('parseSettingsListing', () => {
  it('reads files and the workspace line, skipping malformed lines', () => {
    const text = `0\tmachine\t594\t${MACHINE}\nworkspace\tfound\t/home/zoe/my proj\n1\tfolder\t12\t/home/zoe/my proj/.vscode/settings.json\njunk\n2\tbogus\t1\t/x\n`;
    expect(parseSettingsListing(text)).toEqual({
      files: [
        { index: 0, scope: 'machine', size: 594, path: MACHINE },
        { index: 1, scope: 'folder', size: 12, path: '/home/zoe/my proj/.vscode/settings.json' },
      ],
      workspace: '/home/zoe/my proj',
      workspaceFound: true,
    });
  });
});

describe('overlay in words, findings and redaction', () => {
  function snapshot(): Snapshot {
    const snap = makeSnapshot({
      'vscode-server': { HOME: '/home/zoe' },
      'vscode-exthost': { status: 'ok', env: EXTHOST_ENV, process: { pid: 2, cmdline: '--type=extensionHost --useHostProxy=false' } },
      login: { HOME: '/home/zoe' },
    });
    snap.vscodeSettings = buildVscodeSettings({ listing: listing([['machine', MACHINE]]), texts: new Map([[0, MACHINE_TEXT]]), contexts: snap.contexts, home: '/home/zoe' });
    return snap;
  }

  it('says “gopls sees GOPROXY=X because go.toolsEnvVars sets it (file:line)”', () => {
    const entry = snapshot().vscodeSettings!.overlay.goTools.find((e) => e.variable === 'GOPROXY')!;
    expect(describeOverlayEntry(entry, 'go')).toBe(`gopls sees GOPROXY=https://goproxy.vscode.lab,direct because go.toolsEnvVars sets it (${MACHINE}:6)`);
  });

  it('makes vscode-settings findings for values that differ from the extension host, not for equal ones', () => {
    const findings = findFindings(snapshot()).filter((f) => f.kind === 'vscode-settings');
    expect(findings.map((f) => f.id).sort()).toEqual([
      'vscode-settings:go:EL_TOOLS',
      'vscode-settings:go:GOFLAGS',
      'vscode-settings:go:GOPROXY',
      'vscode-settings:http.proxy',
      'vscode-settings:terminal:EL_DROP',
      'vscode-settings:terminal:EL_TERM',
    ]);
    const goproxy = findings.find((f) => f.id === 'vscode-settings:go:GOPROXY')!;
    expect([goproxy.severity, goproxy.contexts, goproxy.cause]).toEqual(['medium', ['vscode-exthost'], `go.toolsEnvVars in ${MACHINE}:6 (remote machine settings)`]);
    expect(findFindings(snapshot(), { contexts: ['login'] }).some((f) => f.kind === 'vscode-settings')).toBe(false);
  });

  it('is masked by the redactor (a proxy password never leaves unmasked)', () => {
    const snap = snapshot();
    const text = '{ "http.proxy": "http://user:hunter2secret@proxy.lab:3128" }';
    snap.vscodeSettings = buildVscodeSettings({ listing: listing([['machine', MACHINE]]), texts: new Map([[0, text]]), contexts: snap.contexts });
    const redacted = redactSnapshot(snap, { key: 'k' }).snapshot;
    expect(JSON.stringify(redacted.vscodeSettings)).not.toContain('hunter2secret');
    expect(JSON.stringify(snap.vscodeSettings)).toContain('hunter2secret');
  });

  it('renders text for envlens diff with files, lines, the overlay and notes', () => {
    const text = renderVscodeSettingsText(snapshot().vscodeSettings).join('\n');
    expect(text).toContain(`${MACHINE} (remote machine settings)`);
    expect(text).toContain(':6 go.toolsEnvVars GOPROXY = "https://goproxy.vscode.lab,direct"');
    expect(text).toContain(`VS Code terminals do not see EL_DROP because terminal.integrated.env.linux unsets it (${MACHINE}:12) (vscode-exthost has here)`);
  });
});

describe('probe blocks and command', () => {
  it('builds the settings layer from the probe’s vscode-files and vscode-file-N blocks', () => {
    const blocks = {
      'vscode-files': utf8Encode(`0\tmachine\t${MACHINE_TEXT.length}\t${MACHINE}\n`),
      'vscode-file-0': utf8Encode(MACHINE_TEXT),
    };
    const s = vscodeSettingsFromBlocks(blocks, contexts(), '/home/zoe', undefined)!;
    expect(s.overlay.goTools.find((e) => e.variable === 'GOPROXY')?.line).toBe(6);
    expect(vscodeSettingsFromBlocks({}, contexts(), '/home/zoe', undefined)).toBeUndefined();
  });

  it('passes the workspace folder as a base64 5th argument, and nothing when there is none', () => {
    const base = { marker: '0123456789abcdef0123456789abcdef', contexts: ['login'] as const };
    expect(buildProbeCommand({ ...base, contexts: [...base.contexts] })).toMatch(/ login 0$/);
    const cmd = buildProbeCommand({ ...base, contexts: [...base.contexts], workspace: "~/my proj/'x'" });
    const arg = cmd.split(' ').at(-1)!;
    expect(arg).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(new TextDecoder().decode(base64Decode(arg))).toBe("~/my proj/'x'");
    expect(() => buildProbeCommand({ ...base, contexts: [...base.contexts], workspace: '' })).toThrow(/workspace/);
  });
});
