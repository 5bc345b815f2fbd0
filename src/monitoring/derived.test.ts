import { describe, expect, it } from 'vitest';
import { VIRTUAL_INTERFACE } from './agent/proc.ts';
import { cpuUtilization, egressGbps } from './derived.ts';
import { RATE_MAPPINGS, VOCABULARY_NAMES } from './vocabulary.ts';

describe('vocabulary derived from counters', () => {
  it('computes the busy share of CPU time, idle and iowait counted as not busy', () => {
    // Two CPUs over 15 s: 30 CPU-seconds, 22 of them idle or iowait.
    expect(cpuUtilization(30, 22)).toBeCloseTo(8 / 30, 12);
    expect(cpuUtilization(30, 30)).toBe(0);
    expect(cpuUtilization(30, 0)).toBe(1);
    expect(cpuUtilization(0, 0)).toBeNull();
    // Rounding in the exporter can push idle a hair above the total: clamped.
    expect(cpuUtilization(30, 30.0001)).toBe(0);
  });

  it('turns bytes per second into Gbps', () => {
    expect(egressGbps(125_000_000)).toBe(1);
    expect(egressGbps(0)).toBe(0);
  });

  it('maps onto vocabulary metrics and leaves out virtual interfaces', () => {
    for (const mapping of Object.values(RATE_MAPPINGS)) expect(VOCABULARY_NAMES.has(mapping.metric)).toBe(true);
    for (const device of ['lo', 'veth1a2b', 'docker0', 'br-5f2', 'cni0', 'flannel.1', 'cali12', 'tun0', 'tap3', 'ifb0', 'virbr0']) expect(VIRTUAL_INTERFACE.test(device)).toBe(true);
    for (const device of ['eth0', 'ens3', 'enp65s0f0', 'bond0', 'ib0']) expect(VIRTUAL_INTERFACE.test(device)).toBe(false);
  });
});
