/**
 * Starts the envlens test lab (real sshd on loopback, lab accounts, fake VS Code
 * servers) once for the whole run, and hands its LabInfo to the tests through
 * ENVLENS_E2E_LAB (Playwright passes the global setup's process.env to workers).
 */
import { labPrerequisites, startLab } from '../test-lab/lab';

export default async function globalSetup(): Promise<void> {
  const pre = labPrerequisites();
  if (!pre.ok) throw new Error(`the e2e tests need the envlens test lab, which cannot run here: ${pre.reason}`);
  const lab = await startLab();
  process.env.ENVLENS_E2E_LAB = JSON.stringify(lab);
}
