import { describe, expect, it } from 'vitest';
import { VARIABLE_CATALOG, isImportant, isPathLike, isVolatile, listSeparator, lookupVariable, splitList } from './catalog';

describe('lookupVariable', () => {
  it.each([
    ['http_proxy', 'proxy'],
    ['HTTPS_PROXY', 'proxy'],
    ['NO_PROXY', 'proxy'],
    ['NODE_USE_ENV_PROXY', 'proxy'],
    ['SSL_CERT_FILE', 'tls'],
    ['NODE_EXTRA_CA_CERTS', 'tls'],
    ['GOPROXY', 'toolchain'],
    ['GOPRIVATE', 'toolchain'],
    ['PIP_INDEX_URL', 'toolchain'],
    ['PATH', 'path'],
    ['LD_LIBRARY_PATH', 'path'],
  ])('%s is %s', (name, category) => {
    expect(lookupVariable(name)?.category).toBe(category);
  });

  it('matches npm_config_* in any case (npm reads them case-insensitively)', () => {
    expect(lookupVariable('NPM_CONFIG_REGISTRY')?.name).toBe('npm_config_registry');
  });
  it('matches the npm_config_ family by prefix', () => {
    expect(lookupVariable('npm_config_fund')?.name).toBe('npm_config_');
  });
  it('matches the PIP_ family by prefix but keeps exact entries first', () => {
    expect([lookupVariable('PIP_TIMEOUT')?.name, lookupVariable('PIP_PROXY')?.category]).toEqual(['PIP_', 'proxy']);
  });
  it('is case-sensitive for ordinary names', () => {
    expect(lookupVariable('Path')).toBeUndefined();
  });
  it('does not match a bare prefix', () => {
    expect(lookupVariable('PIP_')).toBeUndefined();
  });
  it('knows nothing about EDITOR', () => {
    expect(isImportant('EDITOR')).toBe(false);
  });
  it('gives every entry a summary and at least one reader', () => {
    expect(VARIABLE_CATALOG.filter((v) => !v.summary || v.readBy.length === 0)).toEqual([]);
  });
});

describe('lists', () => {
  it.each(['PATH', 'MANPATH', 'LD_LIBRARY_PATH', 'PYTHONPATH', 'GOPATH', 'XDG_DATA_DIRS', 'PKG_CONFIG_PATH', 'CLASSPATH', 'NODE_PATH', 'CDPATH'])('%s is a search path', (name) => {
    expect(isPathLike(name)).toBe(true);
  });
  it('NO_PROXY is a list but not a search path', () => {
    expect([isPathLike('NO_PROXY'), listSeparator('NO_PROXY')]).toEqual([false, ',']);
  });
  it.each(['no_proxy', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE', 'NPM_CONFIG_NOPROXY'])('%s is comma-separated', (name) => {
    expect(listSeparator(name)).toBe(',');
  });
  it('GOPROXY separates on , and |', () => {
    expect(splitList('GOPROXY', 'https://a|https://b,direct')).toEqual(['https://a', 'https://b', 'direct']);
  });
  it('keeps empty PATH entries (they mean the current directory)', () => {
    expect(splitList('PATH', '/bin::/usr/bin:')).toEqual(['/bin', '', '/usr/bin', '']);
  });
  it('splits GOFLAGS on runs of spaces', () => {
    expect(splitList('GOFLAGS', ' -mod=mod   -trimpath ')).toEqual(['-mod=mod', '-trimpath']);
  });
  it('does not split plain values', () => {
    expect(splitList('EDITOR', 'a:b')).toEqual(['a:b']);
  });
});

describe('isVolatile', () => {
  it.each(['SHLVL', '_', 'PWD', 'OLDPWD', 'SSH_CLIENT', 'SSH_CONNECTION', 'SSH_TTY', 'XDG_SESSION_ID', 'BASH_EXECUTION_STRING', 'VSCODE_PID', 'VSCODE_CWD', 'VSCODE_AMD_ENTRYPOINT', 'VSCODE_NLS_CONFIG', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_HANDLES_UNCAUGHT_ERRORS', 'ENVLENS_MARKER'])('%s is volatile', (name) => {
    expect(isVolatile(name)).toBe(true);
  });
  it('GOPROXY is not volatile', () => {
    expect(isVolatile('GOPROXY', 'https://proxy.golang.org')).toBe(false);
  });
  it('a per-process VS Code socket value is volatile under any name', () => {
    expect(isVolatile('MY_SOCKET', '/run/user/1000/vscode-ipc-1b2c3d4e-aaaa-bbbb-cccc-0123456789ab.sock')).toBe(true);
  });
  it('an ssh-agent socket value is volatile', () => {
    expect(isVolatile('AGENT', '/tmp/ssh-XXXXabcd/agent.12345')).toBe(true);
  });
});
