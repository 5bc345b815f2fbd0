import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { migrate, openDatabase } from '../db/client.ts';

export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('apply the committed database migrations and exit')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrate(database);
        console.log(`Migrations applied (${database.kind}).`);
      } finally {
        await database.close();
      }
    });
}
