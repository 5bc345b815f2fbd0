import { Command } from 'commander';
import { ConfigError } from '../config.ts';
import { VERSION } from '../version.ts';
import { registerMigrate } from './migrate.ts';
import { registerServe } from './serve.ts';
import { registerUser } from './user.ts';
import { registerTransfer } from './transfer.ts';
import { registerIndex } from './index-command.ts';
import { registerAudit } from './audit.ts';
import { registerAgent } from './agent.ts';

const program = new Command();
program.name('suanli').description('Suanli (算力): an open platform for national computing power networks').version(VERSION);
registerServe(program);
registerMigrate(program);
registerUser(program);
registerTransfer(program);
registerIndex(program);
registerAudit(program);
registerAgent(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
