import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { ProcFiles } from './proc.ts';

/** The real /proc of this host. */
export async function readProcFiles(root = '/proc'): Promise<ProcFiles> {
  const [stat, meminfo, loadavg, netDev, uptime] = await Promise.all(
    ['stat', 'meminfo', 'loadavg', 'net/dev', 'uptime'].map((name) => readFile(`${root}/${name}`, 'utf8')),
  );
  return { stat, meminfo, loadavg, netDev, uptime };
}

/** Runs a program found on PATH with a timeout; rejects with `code: 'ENOENT'` when it is absent. */
export function execProgram(file: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}
