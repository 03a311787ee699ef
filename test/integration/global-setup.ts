/**
 * Starts the real-sshd test lab once for the integration project.
 *
 * Without root, sshd or zsh the lab cannot run: then the integration tests skip and this
 * setup prints why, unless ENVLENS_REQUIRE_LAB=1 (set by .ci/run), where that is a
 * failure. The lab's facts reach the tests through Vitest's provide/inject.
 */
import type { TestProject } from 'vitest/node';
import { labPrerequisites, startLab, type LabInfo } from '../../test-lab/lab';

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabInfo | null;
    labSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const pre = labPrerequisites();
  if (!pre.ok) {
    if (process.env.ENVLENS_REQUIRE_LAB === '1') throw new Error(`test lab unavailable: ${pre.reason}`);
    const reason = `integration tests skipped: the OpenSSH test lab cannot start here (${pre.reason})`;
    process.stderr.write(`\n${reason}\n\n`);
    project.provide('lab', null);
    project.provide('labSkipReason', reason);
    return;
  }
  const started = Date.now();
  const lab = await startLab();
  process.stderr.write(`test lab up on 127.0.0.1-13:${lab.port} in ${Date.now() - started} ms\n`);
  project.provide('lab', lab);
  project.provide('labSkipReason', '');
}
