import net from 'node:net';
import type { Reading } from './sample.ts';

export interface ProbeTarget {
  host: string;
  port: number;
  /** As given on the command line: the `target` label. */
  target: string;
}

/** `host:port,host:port` (IPv6 as `[::1]:443`); throws a message saying which entry is wrong. */
export function parseProbeTargets(list: string): ProbeTarget[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((target) => {
      const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(target);
      const port = match ? Number(match[3]) : NaN;
      if (!match || port < 1 || port > 65535) throw new Error(`--probe "${target}" is not host:port (e.g. 10.1.2.3:443 or [::1]:443)`);
      return { host: match[1] ?? match[2], port, target };
    });
}

/** Round-trip of a TCP connect in milliseconds, or null when the target refuses, is unreachable or takes over `timeoutMs`. */
export function tcpConnectRtt(target: ProbeTarget, timeoutMs = 2000): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (rtt: number | null) => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(rtt);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.once('connect', () => finish(performance.now() - started));
    socket.once('error', () => finish(null));
  });
}

export type Prober = (target: ProbeTarget) => Promise<number | null>;

/** probe_up for every target and probe_rtt_ms for those that answered, probed concurrently. */
export async function probeReadings(targets: ProbeTarget[], probe: Prober = tcpConnectRtt): Promise<Reading[]> {
  const results = await Promise.all(targets.map(async (target) => ({ target, rtt: await probe(target) })));
  const readings: Reading[] = [];
  for (const { target, rtt } of results) {
    const labels = { target: target.target };
    readings.push({ metric: 'probe_up', labels, value: rtt === null ? 0 : 1 });
    if (rtt !== null) readings.push({ metric: 'probe_rtt_ms', labels, value: Math.round(rtt * 1000) / 1000 });
  }
  return readings;
}
