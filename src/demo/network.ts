/**
 * The demo's latency matrix (docs/monitoring.md, network monitoring), generated from geography and
 * seeded, so the network pages are populated on first start:
 *
 * - every pair of cities that host a demo facility in operation (one row per pair, city ↔ city);
 * - every facility in operation → its own city's PoP (the access leg);
 * - the facilities of 大同 → the PoPs of 太原 and 北京 (peer probes, as an agent would send them).
 *
 * A value is the round-trip estimate (src/network-model.ts: twice the one-way model) times a seeded route
 * factor of 1.0–1.3, and for 2 % of the city pairs a detour of ×1.4–2.2 (the worst links).
 * Facility ↔ facility pairs are never stored: they are derived or estimated when read.
 */
import type { Deps } from '../deps.ts';
import type { FacilityNode, Measurement } from '../monitoring/network/matrix.ts';
import { cityNodes, invalidateNetworkCache, toFacilityNode } from '../monitoring/network/service.ts';
import { networkStore } from '../monitoring/network/store.ts';
import { estimateRttMs } from '../network-model.ts';
import { createRandom } from './random.ts';

const INSERT_CHUNK = 20_000;
/** Probe windows of 15 minutes in a day: the sample count of a demo value is of that order. */
const SAMPLES = [60, 400] as const;
const DATONG = '140200';
const DATONG_PEERS = ['140100', '110100'];

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

/** The demo rows for the given facilities (in operation), measured at `atMs` (minus up to 15 minutes). Deterministic for a seed. */
export function demoLatencyRows(seed: number, facilities: readonly FacilityNode[], atMs: number): Measurement[] {
  const cities = cityNodes();
  const random = createRandom(seed).fork('network:latency');
  const stamp = () => atMs - random.int(0, 15) * 60_000;
  const samples = () => random.int(SAMPLES[0], SAMPLES[1]);
  const rows: Measurement[] = [];
  const hosts = [...new Set(facilities.map((f) => f.cityCode).filter((c): c is string => !!c && cities.has(c)))].sort();
  for (let i = 0; i < hosts.length; i++) {
    const a = cities.get(hosts[i])!;
    for (let j = i + 1; j < hosts.length; j++) {
      const b = cities.get(hosts[j])!;
      const factor = random.float(1, 1.3) * (random.chance(0.02) ? random.float(1.4, 2.2) : 1);
      rows.push({ source: a.code, target: b.code, sourceKind: 'city', targetKind: 'city', rttMs: round3(estimateRttMs(a.point, b.point) * factor), samples: samples(), origin: 'demo', measuredAt: stamp() });
    }
  }
  const ordered = [...facilities].sort((x, y) => (x.computeId < y.computeId ? -1 : x.computeId > y.computeId ? 1 : 0));
  for (const facility of ordered) {
    const home = facility.cityCode ? cities.get(facility.cityCode) : undefined;
    if (!home) continue;
    const access = estimateRttMs(home.point, facility.point) * random.float(1, 1.25) + random.float(0, 0.1);
    rows.push({ source: facility.id, target: home.code, sourceKind: 'facility', targetKind: 'city', rttMs: round3(access), samples: samples(), origin: 'demo', measuredAt: stamp() });
    if (facility.cityCode !== DATONG) continue;
    for (const peer of DATONG_PEERS) {
      const pop = cities.get(peer);
      if (!pop) continue;
      const rtt = estimateRttMs(pop.point, facility.point) * random.float(1, 1.25);
      rows.push({ source: facility.id, target: pop.code, sourceKind: 'facility', targetKind: 'city', rttMs: round3(rtt), samples: samples(), origin: 'demo', measuredAt: stamp() });
    }
  }
  return rows;
}

export interface DemoNetworkResult {
  rows: number;
  cityPairs: number;
  ms: number;
}

/** Writes the demo matrix for the facilities in operation, as of the platform clock; pairs already stored are kept. */
export async function loadDemoNetwork(deps: Deps, options: { seed: number }): Promise<DemoNetworkResult> {
  const started = Date.now();
  const store = networkStore(deps.db);
  const facilities = (await store.facilitiesInOperation()).map(toFacilityNode).filter((f): f is FacilityNode => f !== null);
  const rows = demoLatencyRows(options.seed, facilities, deps.clock.now().getTime());
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await store.insertMeasurements(rows.slice(i, i + INSERT_CHUNK));
  invalidateNetworkCache(deps.database);
  const result = { rows: rows.length, cityPairs: rows.filter((r) => r.sourceKind === 'city').length, ms: Date.now() - started };
  deps.log.info(result, 'demo latency matrix written');
  return result;
}
