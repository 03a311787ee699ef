import { describe, expect, it } from 'vitest';
import { diffToolSettings, renderToolDiffs, type ToolColumn } from './tool-diff';

const goFile = { value: 'https://goproxy.cn,direct', origin: '/home/t/.config/go/env', line: 1 };
const goEnv = { value: 'https://proxy.golang.org,direct', origin: 'environment', variable: 'GOPROXY' };
const sumdb = { value: 'sum.golang.org', origin: 'default' };
const col = (label: string, go: Record<string, typeof goFile | typeof goEnv | typeof sumdb> | 'unavailable', home = '/home/t'): ToolColumn => ({
  label,
  home,
  tools: { go: go === 'unavailable' ? { status: 'unavailable', reason: "go is not on this context's PATH" } : { status: 'ok', settings: go } },
});

describe('diffToolSettings / renderToolDiffs', () => {
  it('says which value each column resolves and where it came from, grouping the columns that agree', () => {
    const columns = [col('login', { GOPROXY: goFile, GOSUMDB: sumdb }), col('zsh', { GOPROXY: goFile, GOSUMDB: sumdb }), col('bash-interactive', { GOPROXY: goEnv, GOSUMDB: sumdb })];
    const diffs = diffToolSettings(columns);
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatchObject({ kind: 'setting', tool: 'go', setting: 'GOPROXY', valueDiffers: true });
    expect(renderToolDiffs(diffs, columns)).toEqual([
      'go: GOPROXY https://goproxy.cn,direct (from ~/.config/go/env) in login, zsh; https://proxy.golang.org,direct (from environment) in bash-interactive',
    ]);
  });

  it('reports a same value from different origins, but not as a value difference', () => {
    const columns = [col('a', { GOPROXY: goFile }), col('b', { GOPROXY: { ...goEnv, value: goFile.value } })];
    expect(diffToolSettings(columns)).toEqual([expect.objectContaining({ setting: 'GOPROXY', valueDiffers: false })]);
  });

  it('reports a tool that runs in some columns only, and a setting present in one column only', () => {
    const columns = [col('login', { GOPROXY: goFile }), col('bash-interactive', 'unavailable'), col('zsh', {})];
    expect(renderToolDiffs(diffToolSettings(columns), columns)).toEqual([
      "go: runs in login, zsh; unavailable (go is not on this context's PATH) in bash-interactive",
      'go: GOPROXY https://goproxy.cn,direct (from ~/.config/go/env) in login; (not set) in zsh',
    ]);
  });

  it('ignores columns without tool records and honours a settings filter', () => {
    const columns = [col('a', { GOPROXY: goFile, GOSUMDB: sumdb }), { label: 'no-tools' }, col('b', { GOPROXY: goEnv, GOSUMDB: { ...sumdb, value: 'off' } })];
    expect(diffToolSettings(columns, { settings: ['GOSUMDB'] }).map((d) => d.kind === 'setting' && d.setting)).toEqual(['GOSUMDB']);
    expect(diffToolSettings([columns[0]!, columns[1]!])).toEqual([]);
  });
});
