import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { createPlatform } from '../platform.ts';
import { DEMO_USERS } from '../demo/load.ts';
import { progressBar } from './progress.ts';

interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
}

function configFrom(flags: ServeFlags) {
  return loadConfig(process.env, {
    ...(flags.port ? { port: Number(flags.port) } : {}),
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
  });
}

async function run(flags: ServeFlags, demo: boolean) {
  let config;
  try {
    config = configFrom(flags);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  console.error(`Suanli: opening ${where}…`);
  const bar = progressBar('Loading demo data');
  const platform = await createPlatform(config, { demo, onDemoProgress: (done, total) => bar.update(done, total), requestLogging: true });
  const url = await platform.listen();
  const lines = [``, `  Suanli (算力) is running at ${url}`, `  API: ${url}/api/v1/openapi.json`];
  if (platform.adminCreated) lines.push(`  Created user admin from SUANLI_ADMIN_PASSWORD.`);
  if (platform.demo) {
    lines.push(
      `  Demo data: ${platform.demo.facilities} facilities${platform.demo.loaded ? ' (loaded now)' : ''}.`,
      `  Demo logins (password for all: ${platform.demo.password}):`,
      ...DEMO_USERS.map((u) => `    ${u}`),
    );
  }
  console.log(lines.join('\n') + '\n');
  const stop = async (signal: string) => {
    console.error(`Suanli: ${signal}, shutting down…`);
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

const withServerFlags = (command: Command) =>
  command
    .option('-p, --port <port>', 'port to listen on (PORT, default 8080)')
    .option('--host <host>', 'address to listen on (HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'PGlite data directory (SUANLI_DATA_DIR, default .suanli/)')
    .option('--database-url <url>', 'PostgreSQL instead of PGlite (DATABASE_URL)');

export function registerServe(program: Command) {
  withServerFlags(program.command('serve').description('start the platform without demo data')).action((flags: ServeFlags) => run(flags, false));
  withServerFlags(program.command('demo').description('start the platform with the seeded national demo dataset and print the demo logins')).action((flags: ServeFlags) =>
    run(flags, true),
  );
}

export { configFrom };
