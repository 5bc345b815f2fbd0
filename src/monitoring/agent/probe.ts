import net from 'node:net';
import type { Reading } from './sample.ts';

export interface ProbeTarget {
  host: string;
  port: number;
  /** As given on the command line without the peer: the `target` label. */
  target: string;
  /**
   * What the endpoint stands for, when given as `peer=host:port`: a facility's compute ID
   * (CN-140200-00001) or a city PoP's 6-digit GB/T 2260 code. It becomes the `peer` label, which the
   * platform folds into its latency matrix (docs/monitoring.md, network monitoring).
   */
  peer?: string;
}

/** A peer is a facility's compute ID (CN-<6-digit region>-<5-digit sequence>) or a 6-digit city code. */
export const PEER_PATTERN = /^(?:CN-\d{6}-\d{5}|\d{6})$/;

/**
 * `host:port,peer=host:port,…` (IPv6 as `[::1]:443`); `peer` is a compute ID or a 6-digit city
 * code. Throws a message saying which entry is wrong.
 */
export function parseProbeTargets(list: string): ProbeTarget[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const equals = entry.indexOf('=');
      const peer = equals >= 0 ? entry.slice(0, equals).trim() : undefined;
      const target = equals >= 0 ? entry.slice(equals + 1).trim() : entry;
      if (peer !== undefined && !PEER_PATTERN.test(peer)) {
        throw new Error(`--probe "${entry}": the peer before "=" must be a compute ID (CN-140200-00001) or a 6-digit city code (140100)`);
      }
      const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(target);
      const port = match ? Number(match[3]) : NaN;
      if (!match || port < 1 || port > 65535) throw new Error(`--probe "${entry}" is not host:port or peer=host:port (e.g. 10.1.2.3:443, [::1]:443 or 140100=pop.example.cn:443)`);
      return { host: match[1] ?? match[2], port, target, ...(peer ? { peer } : {}) };
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

/** probe_up for every target and probe_rtt_ms for those that answered, probed concurrently; labelled `target` (and `peer`). */
export async function probeReadings(targets: ProbeTarget[], probe: Prober = tcpConnectRtt): Promise<Reading[]> {
  const results = await Promise.all(targets.map(async (target) => ({ target, rtt: await probe(target) })));
  const readings: Reading[] = [];
  for (const { target, rtt } of results) {
    const labels: Record<string, string> = target.peer ? { target: target.target, peer: target.peer } : { target: target.target };
    readings.push({ metric: 'probe_up', labels, value: rtt === null ? 0 : 1 });
    if (rtt !== null) readings.push({ metric: 'probe_rtt_ms', labels, value: Math.round(rtt * 1000) / 1000 });
  }
  return readings;
}
