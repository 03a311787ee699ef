/**
 * Command line for the test lab: `npx tsx test-lab/cli.ts start|stop|status|info`
 * (also `npm run lab -- start`). See test-lab/README.md.
 */
import { labPrerequisites, labStatus, readLabInfo, startLab, stopLab } from './lab.js';

const USAGE = 'usage: npx tsx test-lab/cli.ts start|stop|status|info';

/** Runs one lab command; returns the process exit code. */
async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'start': {
      const t0 = performance.now();
      const info = await startLab();
      const ms = Math.round(performance.now() - t0);
      process.stderr.write(`envlens test lab running in ${ms} ms: sshd pid ${info.sshdPid} on ${info.hosts[0]}…${info.hosts.at(-1)} port ${info.port}\n`);
      process.stderr.write(`  host key ${info.hostKeyFingerprint}\n`);
      process.stderr.write(`  jump host sshd pid ${info.jump.sshdPid} on ${info.jump.host} port ${info.jump.port}, host key ${info.jump.hostKeyFingerprint}\n`);
      process.stderr.write(`  users ${Object.values(info.users).join(', ')}\n`);
      process.stderr.write(`  fake VS Code servers: ${info.vscode.alice.user} pid ${info.vscode.alice.serverPid}/${info.vscode.alice.exthostPid}, ${info.vscode.zoe.user} pid ${info.vscode.zoe.serverPid}/${info.vscode.zoe.exthostPid}\n`);
      process.stderr.write(`  try: ssh -p ${info.port} -i ${info.clientKey} -o UserKnownHostsFile=${info.knownHostsFile} -o StrictHostKeyChecking=yes ${info.users.bash}@${info.hosts[0]} 'bash -ic env'\n`);
      return 0;
    }
    case 'stop':
      await stopLab();
      process.stderr.write('envlens test lab stopped (accounts and keys kept)\n');
      return 0;
    case 'status': {
      const pre = labPrerequisites();
      const status = labStatus();
      process.stdout.write(JSON.stringify({ prerequisites: pre, ...status }, null, 2) + '\n');
      return status.sshd ? 0 : 1;
    }
    case 'info': {
      const info = readLabInfo();
      if (!info) {
        process.stderr.write('no lab.json: run `npx tsx test-lab/cli.ts start` first\n');
        return 1;
      }
      process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
