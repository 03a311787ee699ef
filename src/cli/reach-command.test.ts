import { describe, expect, it } from 'vitest';
import { EnvlensError } from '../shared/errors';
import { REACH_HELP, runReach } from './reach-command';
import { captureIo } from './test-io';

async function usage(argv: string[]): Promise<string> {
  const { io } = captureIo();
  try {
    await runReach(argv, io);
  } catch (error) {
    if (error instanceof EnvlensError && error.kind === 'usage') return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('envlens reach (command line)', () => {
  it('says in its help that it contacts the listed endpoints from the host', async () => {
    const { io, out } = captureIo();
    expect(await runReach(['--help'], io)).toBe(0);
    expect(out()).toBe(`${REACH_HELP}\n`);
    expect(REACH_HELP).toContain('CONTACTS THE LISTED ENDPOINTS FROM THE HOST: one HEAD');
    expect(REACH_HELP).toContain('--dry-run');
    // --timeout is the deadline of each check here, not the per-context one of capture.
    expect(REACH_HELP.match(/--timeout SEC/g)).toHaveLength(1);
  });

  it('refuses a missing target, several targets, an unknown context and a bad deadline before connecting', async () => {
    expect(await usage([])).toBe('reach needs a target');
    expect(await usage(['a', 'b'])).toBe('reach checks one target, got 2');
    expect(await usage(['a', '--context', 'nope'])).toBe('unknown context "nope"');
    expect(await usage(['a', '--timeout', '0'])).toMatch(/--timeout takes a positive number of seconds/);
    expect(await usage(['a', '--timeout', '601'])).toMatch(/at most 600 seconds/);
  });
});
