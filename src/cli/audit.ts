import type { Command } from 'commander';
import { formatVerify, verifyAudit, writeCheckpoint } from '../audit/service.ts';
import { withDeps } from './context.ts';

export function registerAudit(program: Command) {
  const audit = program.command('audit').description('the tamper-evident audit log (docs/audit.md)');
  audit
    .command('verify')
    .description('walk the whole chain from seq 1, recompute every hash and check every signed checkpoint; exit 1 when broken')
    .action(() =>
      withDeps(async (deps) => {
        const result = await verifyAudit(deps);
        console.log(formatVerify(result));
        if (!result.ok) process.exitCode = 1;
      }),
    );
  audit
    .command('checkpoint')
    .description("sign the chain's current head with the instance's Ed25519 key")
    .action(() =>
      withDeps(async (deps) => {
        const checkpoint = await writeCheckpoint(deps);
        console.log(checkpoint ? `checkpoint at seq ${checkpoint.seq}: ${checkpoint.hash} (key ${checkpoint.keyId})` : 'nothing to sign: the chain is empty or its head is already signed');
      }),
    );
}
