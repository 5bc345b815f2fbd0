import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { identityStore } from '../identity/store.ts';
import { createUser, PLATFORM_ORG_ID } from '../identity/service.ts';
import { withDeps } from './context.ts';

async function readPassword(): Promise<string> {
  if (process.env.SUANLI_NEW_PASSWORD) return process.env.SUANLI_NEW_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('Password: ')).trim();
  } finally {
    rl.close();
  }
}

export function registerUser(program: Command) {
  const user = program.command('user').description('manage users');
  user
    .command('create <username>')
    .description('create a user (the password is read from SUANLI_NEW_PASSWORD or asked for)')
    .option('--admin', 'make the user a platform administrator')
    .option('--org <name>', 'organisation name (default: the platform organisation)')
    .option('--display-name <name>', 'display name')
    .action(async (username: string, flags: { admin?: boolean; org?: string; displayName?: string }) => {
      const password = await readPassword();
      await withDeps(async (deps) => {
        let orgId = PLATFORM_ORG_ID;
        if (flags.org) {
          const org = await identityStore(deps.db).findOrganizationByName(flags.org);
          if (!org) throw new Error(`No organisation named ${JSON.stringify(flags.org)}.`);
          orgId = org.id;
        }
        try {
          const created = await createUser(deps, null, { username, password, orgId, isAdmin: !!flags.admin, displayName: flags.displayName });
          console.log(`Created ${created.isAdmin ? 'administrator' : 'user'} ${created.username} in ${created.orgName}.`);
        } catch (error) {
          if (error instanceof AppError) {
            console.error(`${error.message}${error.errors ? '\n  - ' + error.errors.map((e) => `${e.path}: ${e.message}`).join('\n  - ') : ''}`);
            process.exitCode = 2;
            return;
          }
          throw error;
        }
      });
    });
}
