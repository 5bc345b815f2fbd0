import { describe, expect, it } from 'vitest';
import { cpuUtilization, egressGbps, hostReadings, parseLoadavg, parseMeminfo, parseNetDev, parseProcStat, parseUptime, type ProcFiles } from './proc.ts';

// Recorded from a 2-core Linux 6.x host.
const STAT_1 = `cpu  665449 1564 210811 357561 1671 0 4484 0 0 0
cpu0 329551 764 103211 185041 292 0 1931 0 0 0
cpu1 335898 799 107599 172520 1378 0 2553 0 0 0
intr 123456 0 0
ctxt 987654
btime 1764150000
`;
// 200 ticks later: 150 busy (user 100, system 50), 50 idle.
const STAT_2 = STAT_1.replace('cpu  665449 1564 210811 357561', 'cpu  665549 1564 210861 357611');
const MEMINFO = `MemTotal:       24683620 kB
MemFree:        20301352 kB
MemAvailable:   23736292 kB
Buffers:          123456 kB
Cached:          2345678 kB
HugePages_Total:       0
`;
const NET_DEV_1 = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 4161119123  864307    0    0    0     0          0         0 4161119123  864307    0    0    0     0       0          0
  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0: 98765432100 1234567    0    0    0     0          0         0 12345678900 7654321    0    0    0     0       0          0
`;
// eth0 sent 1.875e9 bytes more, lo a lot more (ignored).
const NET_DEV_2 = NET_DEV_1.replace('12345678900', '14220678900').replaceAll('4161119123', '9161119123');
const files = (stat: string, netDev: string): ProcFiles => ({ stat, meminfo: MEMINFO, loadavg: '2.31 2.54 4.57 4/195 14772\n', netDev, uptime: '6224.38 3575.61\n' });

describe('/proc parsers', () => {
  it('reads the aggregate CPU line and computes utilisation as a rate between two reads', () => {
    const first = parseProcStat(STAT_1);
    expect(first).toEqual({ idle: 357561 + 1671, total: 665449 + 1564 + 210811 + 357561 + 1671 + 4484 });
    expect(cpuUtilization(first, parseProcStat(STAT_2))).toBeCloseTo(0.75, 10);
    expect(cpuUtilization(first, first)).toBeNull();
    expect(() => parseProcStat('intr 1 2 3')).toThrow(/cpu/);
  });

  it('reads memory in bytes, with an estimate on kernels without MemAvailable', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ totalBytes: 24683620 * 1024, availableBytes: 23736292 * 1024 });
    const old = MEMINFO.split('\n').filter((l) => !l.startsWith('MemAvailable')).join('\n');
    expect(parseMeminfo(old).availableBytes).toBe((20301352 + 123456 + 2345678) * 1024);
  });

  it('reads load averages and uptime', () => {
    expect(parseLoadavg('2.31 2.54 4.57 4/195 14772\n')).toEqual({ load1: 2.31, load5: 2.54, load15: 4.57 });
    expect(parseUptime('6224.38 3575.61\n')).toBe(6224.38);
    expect(() => parseLoadavg('garbage')).toThrow();
  });

  it('reads interface counters and turns uplink transmit bytes into Gbps', () => {
    const before = parseNetDev(NET_DEV_1);
    expect(before).toContainEqual({ device: 'eth0', receiveBytes: 98765432100, transmitBytes: 12345678900 });
    expect(before.map((i) => i.device)).toEqual(['lo', 'ifb0', 'eth0']);
    // 1.875e9 bytes in 15 s = 1 Gbps; loopback is not egress.
    expect(egressGbps(before, parseNetDev(NET_DEV_2), 15_000)).toBeCloseTo(1, 10);
    expect(egressGbps(before, parseNetDev(NET_DEV_2), 0)).toBeNull();
    // A counter reset (interface re-created) gives no rate rather than a negative one.
    expect(egressGbps(parseNetDev(NET_DEV_2), before, 15_000)).toBeNull();
  });

  it('gives raw readings on the first collection and rates from the second', () => {
    const first = hostReadings(files(STAT_1, NET_DEV_1), 0, null);
    const names = first.readings.map((r) => r.metric);
    expect(names).toEqual(expect.arrayContaining(['availability', 'node_load1', 'node_memory_MemTotal_bytes', 'node_memory_MemAvailable_bytes', 'node_network_transmit_bytes_total']));
    expect(names).not.toContain('cpu_utilization');
    expect(first.readings.filter((r) => r.labels?.device).map((r) => r.labels?.device)).toEqual(['eth0', 'eth0']);
    const second = hostReadings(files(STAT_2, NET_DEV_2), 15_000, first.state);
    expect(second.readings.find((r) => r.metric === 'cpu_utilization')?.value).toBeCloseTo(0.75, 10);
    expect(second.readings.find((r) => r.metric === 'egress_gbps')?.value).toBeCloseTo(1, 10);
    expect(second.readings.find((r) => r.metric === 'availability')?.value).toBe(1);
  });
});
