/**
 * Settings files and the probe's listing of them are bytes from the host: whatever they
 * hold, reading them never throws, keeps line numbers inside the file, and builds an
 * overlay (or nothing) without crashing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVscodeSettings, parseSettingsListing, readVscodeSettingsText } from './vscode-settings';
import { makeSnapshot } from './test-snapshot';

/** JSON-ish text: fragments of settings files, comments, odd characters and cut-offs. */
const jsonish = fc
  .array(
    fc.oneof(
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"go.toolsEnvVars"', '"terminal.integrated.env.linux"', '"http.proxy"', '"settings"', '"GOPROXY"', 'null', 'true', '// c\n', '/* c */', '/*', '\n', '\uFEFF', '"${env:HOME}"', '"${workspaceFolder}"', '"\\u0000"'),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

const env = { HOME: '/home/zoe', PATH: '/usr/bin:/bin', GOPROXY: 'https://proxy.golang.org,direct' };

describe('VS Code settings from hostile bytes', () => {
  it('readVscodeSettingsText never throws and reports problems on lines of the file', () => {
    fc.assert(
      fc.property(jsonish, fc.constantFrom('machine', 'folder', 'workspace-file') as fc.Arbitrary<'machine' | 'folder' | 'workspace-file'>, (text, scope) => {
        const file = readVscodeSettingsText(text, '/home/zoe/x.json', scope);
        const lines = text.split('\n').length;
        for (const p of file.problems) expect(p.line >= 1 && p.line <= lines).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('parseSettingsListing and buildVscodeSettings never throw on any listing and file texts', () => {
    const listingLine = fc.oneof(
      fc.tuple(fc.nat(20), fc.constantFrom('machine', 'folder', 'workspace-file', 'bogus'), fc.nat(), fc.string({ maxLength: 30 })).map(([n, s, size, p]) => `${n}\t${s}\t${size}\t${p}`),
      fc.tuple(fc.constantFrom('found', 'missing', '?'), fc.string({ maxLength: 20 })).map(([f, p]) => `workspace\t${f}\t${p}`),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(listingLine, { maxLength: 8 }), fc.array(jsonish, { maxLength: 4 }), (lines, texts) => {
        const listing = parseSettingsListing(lines.join('\n'));
        const snapshot = makeSnapshot({ 'vscode-exthost': { status: 'ok', env }, 'vscode-resolved': { status: 'ok', env } });
        buildVscodeSettings({ listing, texts: new Map(texts.map((t, i) => [i, t])), contexts: snapshot.contexts, home: '/home/zoe' });
      }),
      { numRuns: 300 },
    );
  });
});
