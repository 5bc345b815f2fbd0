import type { Clock } from '../../clock.ts';
import type { AgentBuffer, SendOutcome } from './buffer.ts';
import { gpuReadings, NVIDIA_SMI_ARGS, parseNvidiaSmi } from './gpu.ts';
import { hostReadings, type HostState, type ProcFiles } from './proc.ts';
import { probeReadings, type Prober, type ProbeTarget } from './probe.ts';
import { backoffMs, MAX_SAMPLES_PER_REQUEST, pushBatch } from './push.ts';
import type { AgentSample, Reading } from './sample.ts';

export interface AgentLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Every side effect of the agent, so a test runs it with a manual clock, a fake fetch and no sleeps. */
export interface AgentDeps {
  clock: Clock;
  fetch: typeof fetch;
  /** Reads /proc/stat, /proc/meminfo, /proc/loadavg, /proc/net/dev, /proc/uptime. */
  readProc: () => Promise<ProcFiles>;
  /** Runs a program and resolves with its stdout; rejects with `code: 'ENOENT'` when it is not installed. */
  exec: (file: string, args: string[]) => Promise<string>;
  probe: Prober;
  buffer: AgentBuffer;
  random: () => number;
  log: AgentLog;
}

export interface AgentOptions {
  url: string;
  token: string;
  probes: ProbeTarget[];
  /** Added to every sample so that several agents of one facility keep separate series. */
  instance: string;
}

/** The token was refused (401): retrying cannot help, the operator must issue a new one. */
export class AgentUnauthorizedError extends Error {
  override name = 'AgentUnauthorizedError';
}

export interface TickReport {
  collected: number;
  /** Batches the platform took in this tick (buffered ones included). */
  sent: number;
  /** Batches refused for good (4xx) in this tick. */
  rejected: number;
  /** True when the new batch (or part of it) went to the buffer. */
  buffered: boolean;
  /** When the next push may be tried (epoch ms); 0 when now. */
  nextAttemptAt: number;
}

export function createAgent(deps: AgentDeps, options: AgentOptions) {
  let host: HostState | null = null;
  let hostFailed = false;
  let gpuAbsent = false;
  let failures = 0;
  let nextAttemptAt = 0;
  let hasBuffered: boolean | null = null;

  async function readHost(atMs: number): Promise<Reading[]> {
    try {
      const { readings, state } = hostReadings(await deps.readProc(), atMs, host);
      host = state;
      hostFailed = false;
      return readings;
    } catch (error) {
      if (!hostFailed) deps.log.warn(`host metrics unavailable (${error instanceof Error ? error.message : String(error)}); is this Linux with /proc mounted?`);
      hostFailed = true;
      return [];
    }
  }

  async function readGpus(): Promise<Reading[]> {
    if (gpuAbsent) return [];
    try {
      return gpuReadings(parseNvidiaSmi(await deps.exec('nvidia-smi', NVIDIA_SMI_ARGS)));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') {
        gpuAbsent = true;
        deps.log.info('nvidia-smi is not installed: no GPU metrics');
        return [];
      }
      deps.log.warn(`nvidia-smi failed (${error instanceof Error ? error.message : String(error)}); GPU metrics skipped this round`);
      return [];
    }
  }

  /** One collection, every sample stamped with the same time. */
  async function collect(): Promise<AgentSample[]> {
    const ts = deps.clock.now().getTime();
    const readings = [...(await readHost(ts)), ...(await readGpus()), ...(await probeReadings(options.probes, deps.probe))];
    return readings.map((r) => ({ metric: r.metric, labels: { instance: options.instance, ...r.labels }, ts, value: r.value }));
  }

  async function send(batch: AgentSample[]): Promise<SendOutcome> {
    const now = deps.clock.now().getTime();
    const result = await pushBatch(deps.fetch, options.url, options.token, batch, now);
    switch (result.kind) {
      case 'sent':
        failures = 0;
        nextAttemptAt = 0;
        return 'sent';
      case 'rejected':
        deps.log.error(`the platform refused a batch of ${batch.length} samples for good (${result.reason}); dropped it`);
        return 'dropped';
      case 'unauthorized':
        throw new AgentUnauthorizedError(`the platform refused the ingestion token (${result.reason}): create a new one with POST /api/v1/facilities/{id}/ingest-tokens and restart the agent with it`);
      case 'retry': {
        failures += 1;
        const wait = result.retryAfterMs ?? backoffMs(failures, deps.random);
        nextAttemptAt = now + wait;
        deps.log.warn(`push failed (${result.reason}); buffering, next try in ${Math.round(wait / 1000)} s`);
        return 'retry';
      }
      default: {
        const unexpected: never = result;
        throw new Error(`unexpected push result ${JSON.stringify(unexpected)}`);
      }
    }
  }

  const chunks = (samples: AgentSample[]) => {
    const out: AgentSample[][] = [];
    for (let i = 0; i < samples.length; i += MAX_SAMPLES_PER_REQUEST) out.push(samples.slice(i, i + MAX_SAMPLES_PER_REQUEST));
    return out;
  };

  /** Collect once, then deliver: buffered batches oldest first, then the new one; buffer whatever the platform did not take. */
  async function tick(): Promise<TickReport> {
    const samples = await collect();
    const batches = chunks(samples);
    hasBuffered ??= (await deps.buffer.pending()) > 0;
    let sent = 0;
    let rejected = 0;
    let buffered = false;
    if (deps.clock.now().getTime() < nextAttemptAt) {
      for (const batch of batches) await deps.buffer.append(batch);
      hasBuffered = buffered = batches.length > 0 || hasBuffered;
    } else if (hasBuffered) {
      // New samples queue behind the buffered ones so the platform receives them in order.
      for (const batch of batches) await deps.buffer.append(batch);
      const flushed = await deps.buffer.flush(send);
      sent += flushed.sent;
      rejected += flushed.dropped;
      hasBuffered = !flushed.complete;
      buffered = !flushed.complete;
      if (flushed.complete && flushed.sent > 0) deps.log.info(`platform reachable again: delivered ${flushed.sent} buffered batch(es)`);
    } else {
      for (let i = 0; i < batches.length; i++) {
        const outcome = await send(batches[i]);
        if (outcome === 'retry') {
          for (const rest of batches.slice(i)) await deps.buffer.append(rest);
          hasBuffered = buffered = true;
          break;
        }
        if (outcome === 'sent') sent += 1;
        else rejected += 1;
      }
    }
    return { collected: samples.length, sent, rejected, buffered, nextAttemptAt };
  }

  return {
    collect,
    tick,
    /** Reads the host counters once so that the next collection has rates (CPU, egress). */
    async prime(): Promise<void> {
      await readHost(deps.clock.now().getTime());
    },
  };
}

export type Agent = ReturnType<typeof createAgent>;

/**
 * Ticks every `intervalMs` until `signal` aborts (or after `maxTicks`); stops on a refused token.
 * `sleep` resolves early when the signal aborts.
 */
export async function runAgent(agent: Agent, clock: Clock, sleep: (ms: number) => Promise<void>, intervalMs: number, signal?: AbortSignal, maxTicks = Infinity): Promise<void> {
  for (let ticks = 0; ticks < maxTicks && !signal?.aborted; ticks++) {
    const started = clock.now().getTime();
    await agent.tick();
    if (ticks + 1 >= maxTicks || signal?.aborted) break;
    await sleep(Math.max(0, started + intervalMs - clock.now().getTime()));
  }
}
