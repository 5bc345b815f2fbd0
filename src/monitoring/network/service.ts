/**
 * Network monitoring (网络监测): the latency matrix between facilities and city PoPs, fed by the
 * agents' peer probes, estimated from geography where nothing is measured; the latency circles of a
 * city; the matrix between hubs, provinces or cities with the worst links. Method:
 * docs/methods/latency.md; API: docs/monitoring.md § Network monitoring.
 *
 * Units: the matrix reports round trips (rttMs, as probes measure them) with the one-way figure
 * beside them (oneWayMs = rttMs / 2); the circles are one-way, as the national policy quotes them.
 */
import type { Database } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { AppError, badRequest } from '../../errors.ts';
import type { Actor } from '../../identity/actor.ts';
import type { LonLat } from '../../regions/coordinates.ts';
import { loadRegions, type Region, regionIndex } from '../../regions/dataset.ts';
import { findRegionGroup, regionGroups } from '../../regions/groups.ts';
import { LATENCY_MODEL, radiusKmOfOneWay } from '../../network-model.ts';
import {
  type CityNode,
  computeCircles,
  type FacilityNode,
  type GroupNode,
  groupMatrix,
  indexMeasurements,
  type MatrixIndex,
  type NodeKind,
  roundMs,
  worstLinks,
} from './matrix.ts';
import { type FacilityRow, networkStore, PROBE_METRIC } from './store.ts';
import { startPeriodic } from '../../periodic.ts';

/** A fold sets each (facility, peer) row to the median of the peer's samples of the last 15 minutes. */
export const PROBE_WINDOW_MS = 15 * 60_000;

// ---------------------------------------------------------------- regions as nodes

let citiesCache: Map<string, CityNode> | undefined;

/** Every prefecture-level city with its centroid (china-geojson, via the region dataset). */
export function cityNodes(): Map<string, CityNode> {
  if (!citiesCache) {
    citiesCache = new Map();
    for (const region of loadRegions()) {
      if (region.level !== 'city' || region.lon === null || region.lat === null) continue;
      citiesCache.set(region.code, { code: region.code, name: region.name, provinceCode: region.provinceCode, point: [region.lon, region.lat] });
    }
  }
  return citiesCache;
}

/** The city a region code stands for: itself for a city, its city for a county; null for a province or an unknown code. */
function cityCodeOf(code: string): string | null {
  const region = regionIndex().get(code);
  if (!region || region.level === 'province') return null;
  return region.cityCode;
}

export function toFacilityNode(row: FacilityRow): FacilityNode | null {
  const region = regionIndex().get(row.regionCode);
  const cityCode = row.cityCode ?? region?.cityCode ?? null;
  const fallback: Region | undefined = region?.lon != null ? region : cityCode ? regionIndex().get(cityCode) : undefined;
  const point: LonLat | null = row.lon !== null && row.lat !== null ? [row.lon, row.lat] : fallback && fallback.lon !== null && fallback.lat !== null ? [fallback.lon, fallback.lat] : null;
  if (!point) return null;
  return { id: row.id, computeId: row.computeId, name: row.name, regionCode: row.regionCode, cityCode, point, racksDesigned: row.racksDesigned, racksInUse: row.racksInUse };
}

// ---------------------------------------------------------------- the loaded matrix, cached per database

export interface NetworkSnapshot {
  fingerprint: string;
  facilities: FacilityNode[];
  facilityById: Map<string, FacilityNode>;
  index: MatrixIndex;
  measuredRows: number;
  newestMs: number | null;
  /** Answers computed from this snapshot, by query. */
  answers: Map<string, unknown>;
}
interface CacheState {
  snapshot: NetworkSnapshot | null;
  loading: Promise<NetworkSnapshot> | null;
}
const caches = new WeakMap<Database, CacheState>();
const cacheOf = (database: Database) => {
  let state = caches.get(database);
  if (!state) {
    state = { snapshot: null, loading: null };
    caches.set(database, state);
  }
  return state;
};

/** Called after this instance writes the matrix: the next read loads it again. */
export function invalidateNetworkCache(database: Database): void {
  cacheOf(database).snapshot = null;
}

/**
 * The matrix and the facilities in operation, loaded once and kept while the database's
 * fingerprint (row count, newest measurement, sums; facilities in operation and their newest
 * change) stays the same: a read costs one small query unless something changed, on any replica.
 */
export async function loadNetworkSnapshot(deps: Deps): Promise<NetworkSnapshot> {
  const state = cacheOf(deps.database);
  const store = networkStore(deps.db);
  const fingerprint = await store.fingerprint();
  if (state.snapshot?.fingerprint === fingerprint) return state.snapshot;
  if (state.loading) return state.loading;
  state.loading = (async () => {
    const [rows, facilityRows] = await Promise.all([store.measurements(), store.facilitiesInOperation()]);
    const facilities = facilityRows.map(toFacilityNode).filter((f): f is FacilityNode => f !== null);
    let newest: number | null = null;
    for (const row of rows) if (newest === null || row.measuredAt > newest) newest = row.measuredAt;
    const snapshot: NetworkSnapshot = {
      fingerprint,
      facilities,
      facilityById: new Map(facilities.map((f) => [f.id, f])),
      index: indexMeasurements(rows, facilities),
      measuredRows: rows.length,
      newestMs: newest,
      answers: new Map(),
    };
    state.snapshot = snapshot;
    return snapshot;
  })().finally(() => {
    state.loading = null;
  });
  return state.loading;
}

/** An answer computed once per snapshot (the matrices take tens of ms to aggregate). */
function memo<T>(snapshot: NetworkSnapshot, key: string, compute: () => T): T {
  if (snapshot.answers.has(key)) return snapshot.answers.get(key) as T;
  const value = compute();
  if (snapshot.answers.size > 200) snapshot.answers.clear();
  snapshot.answers.set(key, value);
  return value;
}

// ---------------------------------------------------------------- folding peer probes into the matrix

/** Per database: the facilities that sent probe_rtt_ms samples since the last fold. */
const pendingFolds = new WeakMap<Database, Set<string>>();
const pendingOf = (database: Database) => {
  let pending = pendingFolds.get(database);
  if (!pending) {
    pending = new Set();
    pendingFolds.set(database, pending);
  }
  return pending;
};

/**
 * Called by ingestion with the metric names of a committed batch: remembers the facility for the
 * next fold when the batch holds probe_rtt_ms. The whole cost on the write path is this scan.
 */
export function noteProbeSamples(database: Database, facilityId: string, metrics: readonly string[]): void {
  if (metrics.includes(PROBE_METRIC)) pendingOf(database).add(facilityId);
}

/** The node a `peer` label names: a 6-digit city code (a county stands for its city), else a compute ID looked up in the ledger. */
function resolvePeers(peers: Iterable<string>, byComputeId: Map<string, string>): Map<string, { target: string; kind: NodeKind }> {
  const out = new Map<string, { target: string; kind: NodeKind }>();
  for (const peer of peers) {
    if (/^\d{6}$/.test(peer)) {
      const city = cityCodeOf(peer);
      if (city) out.set(peer, { target: city, kind: 'city' });
    } else {
      const facility = byComputeId.get(peer);
      if (facility) out.set(peer, { target: facility, kind: 'facility' });
    }
  }
  return out;
}

/**
 * Folds the recent probe samples of the facilities that sent some since the last run (or of the
 * given facilities) into the matrix: per facility and peer, the median of the probe_rtt_ms{peer}
 * samples of the last PROBE_WINDOW_MS. Peers that are neither a city nor a compute ID of the
 * ledger, and probes of a facility's own compute ID, are skipped. Returns the rows written.
 */
export async function runNetworkFold(deps: Deps, facilityIds?: string[]): Promise<number> {
  const pending = pendingOf(deps.database);
  const facilities = facilityIds ?? [...pending];
  if (!facilityIds) pending.clear();
  if (facilities.length === 0) return 0;
  try {
    const store = networkStore(deps.db);
    const series = await store.probeSeries(facilities);
    if (series.length === 0) return 0;
    const computeIds = [...new Set(series.map((s) => s.peer).filter((p) => !/^\d{6}$/.test(p)))];
    const resolved = resolvePeers(new Set(series.map((s) => s.peer)), computeIds.length ? await store.facilitiesByComputeId(computeIds) : new Map());
    const toFold = series.flatMap((s) => {
      const node = resolved.get(s.peer);
      return node && node.target !== s.facilityId ? [{ seriesId: s.seriesId, source: s.facilityId, target: node.target, targetKind: node.kind }] : [];
    });
    const now = deps.clock.now().getTime();
    // Up to the future allowance of ingestion: a sender's clock slightly ahead still counts.
    const written = await store.foldProbeSeries(toFold, now - PROBE_WINDOW_MS, now + 10 * 60_000);
    if (written > 0) invalidateNetworkCache(deps.database);
    return written;
  } catch (error) {
    // Folded next time.
    if (!facilityIds) for (const id of facilities) pending.add(id);
    throw error;
  }
}

export interface NetworkFoldTimer {
  stop(): Promise<void>;
}

/** Runs runNetworkFold every `intervalMs` (never two at once); stop() waits for a run in progress. */
export function startNetworkFoldTimer(deps: Deps, intervalMs: number): NetworkFoldTimer {
  return startPeriodic(deps.log, 'network fold failed; the next run retries', intervalMs, () => runNetworkFold(deps));
}

// ---------------------------------------------------------------- scopes

interface Scope {
  code: string | null;
  /** The cities in scope; null: all. */
  cities: Set<string> | null;
}

function citiesOfRegionCode(code: string): string[] {
  const region = regionIndex().get(code);
  if (!region) return [];
  if (region.level === 'province') return [...cityNodes().values()].filter((c) => c.provinceCode === region.code).map((c) => c.code);
  return region.cityCode ? [region.cityCode] : [];
}

/** `region`: absent or 000000 (everything), a GB/T 2260 code, or a hub or cluster id (GET /api/v1/regions/groups). */
function scopeOf(region: string | undefined): Scope {
  if (!region || region === '000000') return { code: null, cities: null };
  const group = findRegionGroup(region);
  if (group) return { code: region, cities: new Set(group.regionCodes.flatMap(citiesOfRegionCode)) };
  if (!regionIndex().has(region)) {
    throw badRequest('UNKNOWN_REGION', `Unknown region ${JSON.stringify(region)}: use a GB/T 2260 code from GET /api/v1/regions or a hub or cluster id from GET /api/v1/regions/groups, or omit it for the whole country.`);
  }
  return { code: region, cities: new Set(citiesOfRegionCode(region)) };
}

// ---------------------------------------------------------------- the matrix

export const LATENCY_LEVELS = ['hub', 'province', 'city'] as const;
export type LatencyLevel = (typeof LATENCY_LEVELS)[number];
/** A city-level matrix is asked for one province, hub or cluster at a time: at most this many cities. */
export const MAX_CITY_NODES = 60;

const modelView = () => ({
  routeFactor: LATENCY_MODEL.routeFactor,
  fibreKmPerMs: LATENCY_MODEL.fibreKmPerMs,
  endpointMs: LATENCY_MODEL.endpointMs,
  method: 'docs/methods/latency.md',
});

export interface LatencyQuery {
  level?: LatencyLevel;
  region?: string;
  worst?: number;
}

interface NodeView {
  id: string;
  name: string;
  nameEn: string | null;
  lon: number | null;
  lat: number | null;
  cities: number;
}

function nodeView(id: string, name: string, nameEn: string | null, cities: CityNode[]): NodeView {
  const lon = cities.length ? cities.reduce((s, c) => s + c.point[0], 0) / cities.length : null;
  const lat = cities.length ? cities.reduce((s, c) => s + c.point[1], 0) / cities.length : null;
  return { id, name, nameEn, lon: lon === null ? null : Math.round(lon * 1e4) / 1e4, lat: lat === null ? null : Math.round(lat * 1e4) / 1e4, cities: cities.length };
}

export async function latencyMatrix(deps: Deps, _actor: Actor, query: LatencyQuery) {
  const level = query.level ?? 'hub';
  const scope = scopeOf(query.region);
  const cities = cityNodes();
  if (level === 'city') {
    if (!scope.cities) {
      throw new AppError(422, 'REGION_REQUIRED', `level=city needs region=<a province code, a hub or cluster id> (the country has ${cities.size} cities): e.g. level=city&region=140000.`);
    }
    const count = [...scope.cities].filter((code) => cities.has(code)).length;
    if (count > MAX_CITY_NODES) {
      throw new AppError(422, 'TOO_MANY_NODES', `region=${query.region} has ${count} cities; a city-level matrix takes at most ${MAX_CITY_NODES}: ask for a province or a smaller group.`);
    }
  }
  const snapshot = await loadNetworkSnapshot(deps);
  return memo(snapshot, `latency\u0001${level}\u0001${scope.code ?? ''}\u0001${query.worst ?? 10}`, () => computeLatencyMatrix(snapshot, level, scope, query.worst ?? 10));
}

function computeLatencyMatrix(snapshot: NetworkSnapshot, level: LatencyLevel, scope: Scope, worstCount: number) {
  const cities = cityNodes();
  // A group stands for the cities of it that host a facility in operation (all of its cities when none does).
  const hosting = new Set(snapshot.facilities.map((f) => f.cityCode).filter((c): c is string => !!c));
  const representative = (all: CityNode[]) => {
    const hosts = all.filter((c) => hosting.has(c.code));
    return hosts.length ? hosts : all;
  };
  const inScope = (codes: Iterable<string>) => {
    if (!scope.cities) return true;
    for (const code of codes) if (scope.cities.has(code)) return true;
    return false;
  };
  const allCities = [...cities.values()];
  const groups: (GroupNode & { nameEn: string | null; all: CityNode[] })[] = [];
  if (level === 'hub') {
    for (const hub of regionGroups()) {
      if (hub.kind !== 'hub') continue;
      const all = allCities.filter((c) => hub.regionCodes.includes(c.provinceCode));
      if (inScope(all.map((c) => c.code))) groups.push({ id: hub.id, name: hub.name, nameEn: hub.nameEn, cities: representative(all), all });
    }
  } else if (level === 'province') {
    for (const province of loadRegions()) {
      if (province.level !== 'province') continue;
      const all = allCities.filter((c) => c.provinceCode === province.code);
      if (all.length && inScope(all.map((c) => c.code))) groups.push({ id: province.code, name: province.name, nameEn: null, cities: representative(all), all });
    }
  } else {
    const chosen = allCities.filter((c) => scope.cities?.has(c.code)).sort((a, b) => a.code.localeCompare(b.code));
    for (const city of chosen) groups.push({ id: city.code, name: city.name, nameEn: null, cities: [city], all: [city] });
  }
  const pairs = groupMatrix(snapshot.index, groups, { diagonal: level !== 'city' }).map((p) => ({
    ...p,
    rttMs: roundMs(p.rttMs),
    oneWayMs: roundMs(p.oneWayMs),
    minRttMs: roundMs(p.minRttMs),
    maxRttMs: roundMs(p.maxRttMs),
    estimateRttMs: roundMs(p.estimateRttMs),
  }));

  const worst = worstLinks(
    snapshot.index,
    (id, kind) => (kind === 'city' ? (cities.get(id)?.point ?? null) : (snapshot.facilityById.get(id)?.point ?? null)),
    (m) => {
      if (!scope.cities) return true;
      const a = m.sourceKind === 'city' ? m.source : snapshot.facilityById.get(m.source)?.cityCode;
      const b = m.targetKind === 'city' ? m.target : snapshot.facilityById.get(m.target)?.cityCode;
      return !!a && !!b && scope.cities.has(a) && scope.cities.has(b);
    },
    worstCount,
  ).map((link) => ({
    source: endpointView(snapshot, link.measurement.source, link.measurement.sourceKind),
    target: endpointView(snapshot, link.measurement.target, link.measurement.targetKind),
    rttMs: roundMs(link.measurement.rttMs),
    estimateRttMs: roundMs(link.estimateRttMs),
    excessRttMs: roundMs(link.excessRttMs),
    origin: link.measurement.origin,
    samples: link.measurement.samples,
    measuredAt: new Date(link.measurement.measuredAt).toISOString(),
  }));

  return {
    level,
    region: scope.code,
    model: modelView(),
    nodes: groups.map((g) => nodeView(g.id, g.name, g.nameEn, g.cities)),
    pairs,
    worstLinks: worst,
    measuredRows: snapshot.measuredRows,
    newestMeasurement: snapshot.newestMs === null ? null : new Date(snapshot.newestMs).toISOString(),
  };
}

function endpointView(snapshot: NetworkSnapshot, id: string, kind: NodeKind) {
  if (kind === 'city') {
    const city = cityNodes().get(id);
    return { kind, id, name: city?.name ?? id, computeId: null, cityCode: id };
  }
  const facility = snapshot.facilityById.get(id);
  return { kind, id, name: facility?.name ?? id, computeId: facility?.computeId ?? null, cityCode: facility?.cityCode ?? null };
}

// ---------------------------------------------------------------- circles

export interface CirclesQuery {
  city: string;
  limit?: number;
}

export async function latencyCircles(deps: Deps, _actor: Actor, query: CirclesQuery) {
  const region = regionIndex().get(query.city);
  if (!region) throw new AppError(404, 'UNKNOWN_CITY', `No city has the code ${JSON.stringify(query.city)}: use a prefecture-level city code from GET /api/v1/regions?level=city (e.g. 140200 for 大同).`);
  if (region.level === 'province') {
    throw new AppError(422, 'NOT_A_CITY', `${query.city} is a province (${region.name}): the circles are drawn around a city PoP; give a city code such as ${region.code.slice(0, 2)}0100 or one of a county.`);
  }
  const city = region.cityCode ? cityNodes().get(region.cityCode) : undefined;
  if (!city) throw new AppError(404, 'UNKNOWN_CITY', `The city of ${query.city} has no known location.`);
  const snapshot = await loadNetworkSnapshot(deps);
  const result = memo(snapshot, `circles\u0001${city.code}`, () => computeCircles(snapshot.index, city, snapshot.facilities, cityNodes()));
  const limit = query.limit ?? 200;
  return {
    city: { code: city.code, name: city.name, provinceCode: city.provinceCode, lon: city.point[0], lat: city.point[1] },
    requested: query.city,
    model: modelView(),
    circles: result.circles.map((c) => ({ ...c, radiusKm: Math.round(radiusKmOfOneWay(c.maxOneWayMs)) })),
    facilities: result.entries.slice(0, limit).map((e) => ({
      id: e.facility.id,
      computeId: e.facility.computeId,
      name: e.facility.name,
      regionCode: e.facility.regionCode,
      cityCode: e.facility.cityCode,
      lon: e.facility.point[0],
      lat: e.facility.point[1],
      racksDesigned: e.facility.racksDesigned,
      racksInUse: e.facility.racksInUse,
      oneWayMs: roundMs(e.oneWayMs),
      rttMs: roundMs(e.value.rttMs),
      basis: e.value.basis,
      origin: e.value.origin,
      circle: e.circle,
    })),
    total: result.entries.length,
    truncated: result.entries.length > limit,
  };
}
