import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { systemClock } from '../clock.ts';
import { AgentUnauthorizedError, createAgent, runAgent, type AgentLog } from '../monitoring/agent/agent.ts';
import { createBuffer } from '../monitoring/agent/buffer.ts';
import { parseProbeTargets, tcpConnectRtt } from '../monitoring/agent/probe.ts';
import { execProgram, readProcFiles } from '../monitoring/agent/system.ts';

interface AgentFlags {
  url: string;
  token?: string;
  interval: string;
  bufferDir: string;
  bufferMaxMb: string;
  once?: boolean;
  probe?: string;
  instance: string;
}

const stderrLog: AgentLog = {
  info: (message) => process.stderr.write(`${new Date().toISOString()} info  ${message}\n`),
  warn: (message) => process.stderr.write(`${new Date().toISOString()} warn  ${message}\n`),
  error: (message) => process.stderr.write(`${new Date().toISOString()} error ${message}\n`),
};

/** Every problem with the flags at once, so one run tells the operator all that needs fixing. */
function checkFlags(flags: AgentFlags, token: string | undefined): string[] {
  const problems: string[] = [];
  try {
    const url = new URL(flags.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`--url ${flags.url}: use http:// or https://`);
  } catch {
    problems.push(`--url ${flags.url} is not a URL (e.g. http://platform:8080)`);
  }
  if (!token) problems.push('no ingestion token: pass --token or set SUANLI_INGEST_TOKEN (create one with POST /api/v1/facilities/{id}/ingest-tokens)');
  const interval = Number(flags.interval);
  if (!Number.isFinite(interval) || interval < 1 || interval > 3600) problems.push(`--interval ${flags.interval}: seconds between 1 and 3600`);
  const bufferMb = Number(flags.bufferMaxMb);
  if (!Number.isFinite(bufferMb) || bufferMb <= 0) problems.push(`--buffer-max-mb ${flags.bufferMaxMb}: a positive number of megabytes`);
  try {
    parseProbeTargets(flags.probe ?? '');
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

export function registerAgent(program: Command) {
  program
    .command('agent')
    .description("collect this host's metrics (/proc, nvidia-smi, TCP probes) and push them to a Suanli platform, buffering while it is unreachable")
    .requiredOption('--url <url>', 'the platform, e.g. http://platform:8080')
    .option('--token <token>', 'ingestion token of the facility (default: SUANLI_INGEST_TOKEN)')
    .option('--interval <seconds>', 'seconds between collections', '15')
    .option('--buffer-dir <dir>', 'where unsent batches wait (JSON lines)', '.suanli-agent')
    .option('--buffer-max-mb <mb>', 'bound on the buffer; past it the oldest batches are dropped', '100')
    .option('--probe <targets>', 'TCP connect round-trip to host:port or peer=host:port,… (probe_rtt_ms, probe_up); peer: a compute ID or 6-digit city code, folded into the latency matrix')
    .option('--instance <name>', 'the instance label on every sample', hostname())
    .option('--once', 'collect and push once (with a 1 s window for CPU and egress rates), then exit; exit code 75 when the batch had to be buffered')
    .action(async (flags: AgentFlags) => {
      const token = flags.token ?? process.env.SUANLI_INGEST_TOKEN;
      const problems = checkFlags(flags, token);
      if (problems.length > 0) {
        process.stderr.write(`suanli agent: ${problems.join('\n  ')}\n`);
        process.exit(2);
      }
      const intervalMs = Number(flags.interval) * 1000;
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const sleep = (ms: number) => delay(ms, undefined, { signal: controller.signal }).catch(() => undefined);
      const agent = createAgent(
        {
          clock: systemClock,
          fetch: globalThis.fetch,
          readProc: () => readProcFiles(),
          exec: (file, args) => execProgram(file, args),
          probe: (target) => tcpConnectRtt(target),
          buffer: createBuffer({ dir: flags.bufferDir, maxBytes: Number(flags.bufferMaxMb) * 1024 * 1024, warn: stderrLog.warn }),
          random: Math.random,
          log: stderrLog,
        },
        { url: flags.url, token: token!, probes: parseProbeTargets(flags.probe ?? ''), instance: flags.instance },
      );
      try {
        if (flags.once) {
          await agent.prime();
          await sleep(1000);
          const report = await agent.tick();
          stderrLog.info(`collected ${report.collected} samples; ${report.buffered ? `buffered in ${flags.bufferDir}` : `delivered ${report.sent} batch(es)`}`);
          if (report.buffered) process.exitCode = 75;
          return;
        }
        stderrLog.info(`pushing to ${flags.url} every ${flags.interval} s; buffer ${flags.bufferDir}`);
        await runAgent(agent, systemClock, sleep, intervalMs, controller.signal);
      } catch (error) {
        if (error instanceof AgentUnauthorizedError) {
          stderrLog.error(error.message);
          process.exit(3);
        }
        throw error;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
