import type { Reading } from './sample.ts';

/** Aggregate CPU time counters from the first `cpu` line of /proc/stat (in clock ticks). */
export interface CpuTimes {
  idle: number;
  total: number;
}

export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error('/proc/stat has no aggregate "cpu" line');
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Busy share of CPU time between two reads, 0–1; null when no time passed (or the counters reset). */
export function cpuUtilization(previous: CpuTimes, current: CpuTimes): number | null {
  const total = current.total - previous.total;
  const idle = current.idle - previous.idle;
  if (total <= 0 || idle < 0) return null;
  return Math.min(1, Math.max(0, 1 - idle / total));
}

/** MemTotal and MemAvailable from /proc/meminfo, in bytes. */
export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number } {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (match) values.set(match[1], Number(match[2]) * (line.includes('kB') ? 1024 : 1));
  }
  const totalBytes = values.get('MemTotal');
  if (totalBytes === undefined) throw new Error('/proc/meminfo has no MemTotal');
  // Kernels before 3.14 have no MemAvailable: free + buffers + cached is the usual estimate.
  const availableBytes = values.get('MemAvailable') ?? (values.get('MemFree') ?? 0) + (values.get('Buffers') ?? 0) + (values.get('Cached') ?? 0);
  return { totalBytes, availableBytes };
}

export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } {
  const [load1, load5, load15] = text.trim().split(/\s+/).map(Number);
  if (![load1, load5, load15].every(Number.isFinite)) throw new Error(`/proc/loadavg is not understood: ${text.trim()}`);
  return { load1, load5, load15 };
}

/** Seconds since boot, from /proc/uptime. */
export function parseUptime(text: string): number {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(seconds)) throw new Error(`/proc/uptime is not understood: ${text.trim()}`);
  return seconds;
}

export interface InterfaceBytes {
  device: string;
  receiveBytes: number;
  transmitBytes: number;
}

/** Byte counters of every interface in /proc/net/dev. */
export function parseNetDev(text: string): InterfaceBytes[] {
  const interfaces: InterfaceBytes[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const device = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    // 8 receive columns, then transmit bytes.
    if (fields.length < 9 || !Number.isFinite(fields[0]) || !Number.isFinite(fields[8])) continue;
    interfaces.push({ device, receiveBytes: fields[0], transmitBytes: fields[8] });
  }
  return interfaces;
}

/** Loopback and virtual plumbing carry no traffic out of the facility (also applied to node_exporter's devices: src/monitoring/derived.ts). */
export const VIRTUAL_INTERFACE = /^(lo|ifb\d*|veth|docker|br-|virbr|cni|flannel|cali|tun|tap)/;

export function isUplinkCandidate(device: string): boolean {
  return !VIRTUAL_INTERFACE.test(device);
}

/** Outbound Gbps summed over the uplink candidates between two reads; null without a previous read or elapsed time. */
export function egressGbps(previous: InterfaceBytes[], current: InterfaceBytes[], elapsedMs: number): number | null {
  if (elapsedMs <= 0) return null;
  const before = new Map(previous.map((i) => [i.device, i.transmitBytes]));
  let bytes = 0;
  let matched = false;
  for (const item of current) {
    if (!isUplinkCandidate(item.device)) continue;
    const old = before.get(item.device);
    // A counter that went backwards was reset (interface re-created): skip it this round.
    if (old === undefined || item.transmitBytes < old) continue;
    bytes += item.transmitBytes - old;
    matched = true;
  }
  if (!matched && current.some((i) => isUplinkCandidate(i.device))) return null;
  return (bytes * 8) / (elapsedMs / 1000) / 1e9;
}

export interface ProcFiles {
  stat: string;
  meminfo: string;
  loadavg: string;
  netDev: string;
  uptime: string;
}

/** What the host collector keeps between reads to compute rates. */
export interface HostState {
  cpu: CpuTimes;
  net: InterfaceBytes[];
  atMs: number;
}

/** Readings of one collection from the recorded /proc files, and the state for the next one. */
export function hostReadings(files: ProcFiles, atMs: number, previous: HostState | null): { readings: Reading[]; state: HostState } {
  const cpu = parseProcStat(files.stat);
  const memory = parseMeminfo(files.meminfo);
  const load = parseLoadavg(files.loadavg);
  const net = parseNetDev(files.netDev);
  const uptime = parseUptime(files.uptime);
  const readings: Reading[] = [
    { metric: 'availability', value: 1 },
    { metric: 'node_load1', value: load.load1 },
    { metric: 'node_load5', value: load.load5 },
    { metric: 'node_load15', value: load.load15 },
    { metric: 'node_memory_MemTotal_bytes', value: memory.totalBytes },
    { metric: 'node_memory_MemAvailable_bytes', value: memory.availableBytes },
    { metric: 'node_uptime_seconds', value: uptime },
    { metric: 'node_cpu_idle_ticks_total', value: cpu.idle },
    { metric: 'node_cpu_ticks_total', value: cpu.total },
  ];
  for (const item of net.filter((i) => isUplinkCandidate(i.device))) {
    readings.push({ metric: 'node_network_receive_bytes_total', labels: { device: item.device }, value: item.receiveBytes });
    readings.push({ metric: 'node_network_transmit_bytes_total', labels: { device: item.device }, value: item.transmitBytes });
  }
  if (previous) {
    const utilization = cpuUtilization(previous.cpu, cpu);
    if (utilization !== null) readings.push({ metric: 'cpu_utilization', value: utilization });
    const gbps = egressGbps(previous.net, net, atMs - previous.atMs);
    if (gbps !== null) readings.push({ metric: 'egress_gbps', value: gbps });
  }
  return { readings, state: { cpu, net, atMs } };
}
