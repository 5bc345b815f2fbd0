import { appendAudit, auditOfActor } from '../audit/store.ts';
import type { Database } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { AppError, badRequest, notFound, unauthenticated } from '../errors.ts';
import { newId, newSecret, sha256Hex } from '../ids.ts';
import { type Actor, governs } from '../identity/actor.ts';
import { ledgerStore } from '../ledger/store.ts';
import { canonicalKey, checkLabels, checkTimestamp, type IncomingSeries, LIMITS, prepareBatch, type PreparedSeries } from './rules.ts';
import { VOCABULARY_NAMES, vocabularyOf } from './vocabulary.ts';
import { type RawSeries, readWriteRequest, seriesLabels } from './wire.ts';
import { monitoringStore, ROLLUP_LEVELS } from './store.ts';
import { acceptedAgeMs, keptResolutions } from './retention.ts';
import { noteProbeSamples } from './network/service.ts';

/** Writes in flight per database beyond which a writer is told to come back (503 + Retry-After). */
export const MAX_WRITES_IN_FLIGHT = 16;
const SERIES_CACHE_LIMIT = 200_000;
const DAY_MS = 86_400_000;

/** How long a resolved ingestion token is trusted without asking the database again. */
export const TOKEN_CACHE_MS = 10_000;

/** Per database: partitions known to exist, series ids by facility + canonical key, resolved tokens, writes in flight. */
interface IngestState {
  partitions: Set<number>;
  seriesIds: Map<string, number>;
  /** remote_write: per facility, series by the bytes of their labels (ingestRemoteWrite). */
  wireSeries: Map<string, Map<string, WireSeriesEntry>>;
  tokens: Map<string, { facilityId: string; tokenId: string; until: number }>;
  inFlight: number;
}
const states = new WeakMap<Database, IngestState>();
function stateOf(database: Database): IngestState {
  let state = states.get(database);
  if (!state) {
    state = { partitions: new Set(), seriesIds: new Map(), wireSeries: new Map(), tokens: new Map(), inFlight: 0 };
    states.set(database, state);
  }
  return state;
}

// ---------------------------------------------------------------- permissions

async function facilityFor(deps: Deps, facilityId: string) {
  const facility = await ledgerStore(deps.db).getFacility(facilityId);
  if (!facility) throw notFound('Facility', facilityId);
  return facility;
}

/** Tokens are managed by the facility's owner organisation or an administrator. */
async function manageableFacility(deps: Deps, actor: Actor, facilityId: string) {
  const facility = await facilityFor(deps, facilityId);
  if (actor.isAdmin || facility.ownerOrgId === actor.orgId) return facility;
  if (governs(actor, facility.regionCode)) {
    throw new AppError(403, 'NOT_FACILITY_OWNER', "Only the facility's owner organisation or an administrator manages its ingestion tokens.");
  }
  throw notFound('Facility', facilityId);
}

/** Telemetry is visible to the owner organisation, the government bodies governing the region, and administrators. */
async function visibleFacility(deps: Deps, actor: Actor, facilityId: string) {
  const facility = await facilityFor(deps, facilityId);
  if (actor.isAdmin || facility.ownerOrgId === actor.orgId || governs(actor, facility.regionCode)) return facility;
  throw new AppError(403, 'TELEMETRY_NOT_VISIBLE', "A facility's telemetry is visible to its owner organisation and to the government bodies of its region.");
}

// ---------------------------------------------------------------- ingestion tokens

const tokenView = (row: { id: string; facilityId: string; name: string; createdBy: string; createdAt: Date; revokedAt: Date | null; lastUsedAt: Date | null }) => ({
  id: row.id,
  facilityId: row.facilityId,
  name: row.name,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

export async function createIngestToken(deps: Deps, actor: Actor, facilityId: string, name: string | undefined) {
  await manageableFacility(deps, actor, facilityId);
  const token = newSecret('sli');
  const row = { id: newId('itk'), facilityId, tokenHash: sha256Hex(token), name: name?.trim() || 'prometheus', createdBy: actor.userId, createdAt: deps.clock.now(), revokedAt: null, lastUsedAt: null };
  await deps.db.transaction(async (tx) => {
    await monitoringStore(tx).insertIngestToken(row);
    await appendAudit(tx, [auditOfActor(actor, row.createdAt, 'created', 'ingest-token', row.id, null, { facilityId, name: row.name })]);
  });
  return { ...tokenView(row), token };
}

export async function listIngestTokens(deps: Deps, actor: Actor, facilityId: string) {
  await manageableFacility(deps, actor, facilityId);
  const items = (await monitoringStore(deps.db).listIngestTokens(facilityId)).map(tokenView);
  return { items, nextCursor: null, total: items.length };
}

export async function revokeIngestToken(deps: Deps, actor: Actor, facilityId: string, tokenId: string) {
  await manageableFacility(deps, actor, facilityId);
  const store = monitoringStore(deps.db);
  const row = await store.findIngestToken(facilityId, tokenId);
  if (!row) throw notFound('Ingestion token', tokenId);
  if (!row.revokedAt) {
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      await monitoringStore(tx).revokeIngestToken(tokenId, now);
      await appendAudit(tx, [auditOfActor(actor, now, 'revoked', 'ingest-token', tokenId, { revokedAt: null }, { facilityId, revokedAt: now.toISOString() })]);
    });
  }
  // This instance refuses the token at once; other replicas within TOKEN_CACHE_MS.
  const { tokens } = stateOf(deps.database);
  for (const [hash, cached] of tokens) if (cached.tokenId === tokenId) tokens.delete(hash);
}

/** `Authorization: Bearer <ingestion token>` → the facility it writes for; 401 otherwise. */
export async function authenticateIngest(deps: Deps, authorization: string | undefined): Promise<{ facilityId: string; tokenId: string }> {
  const match = authorization ? /^Bearer\s+(\S{1,200})$/i.exec(authorization) : null;
  if (!match) throw new AppError(401, 'INGEST_TOKEN_REQUIRED', "Send `Authorization: Bearer <ingestion token>` (Prometheus: remote_write authorization: {credentials: TOKEN}); create one with POST /api/v1/facilities/{id}/ingest-tokens.");
  const hash = sha256Hex(match[1]);
  const now = deps.clock.now();
  const { tokens } = stateOf(deps.database);
  const cached = tokens.get(hash);
  // A cached token saves a round trip on every write (Prometheus sends several requests a second).
  if (cached && cached.until > now.getTime()) return { facilityId: cached.facilityId, tokenId: cached.tokenId };
  const store = monitoringStore(deps.db);
  const row = await store.findIngestTokenByHash(hash);
  if (!row || row.revokedAt) {
    tokens.delete(hash);
    throw new AppError(401, 'INVALID_INGEST_TOKEN', 'This ingestion token is unknown or revoked: create a new one with POST /api/v1/facilities/{id}/ingest-tokens.');
  }
  // Recorded when the token is looked up again (at most every TOKEN_CACHE_MS), not on every write.
  await store.touchIngestToken(row.id, now);
  if (tokens.size > 10_000) tokens.clear();
  tokens.set(hash, { facilityId: row.facilityId, tokenId: row.id, until: now.getTime() + TOKEN_CACHE_MS });
  return { facilityId: row.facilityId, tokenId: row.id };
}

// ---------------------------------------------------------------- ingestion

export interface IngestResult {
  /** Samples in the request that were valid (vocabulary copies included). */
  accepted: number;
  /** Of those, how many were new (a retried request inserts none). */
  inserted: number;
  series: number;
  dropped: { stale: number; nonFinite: number };
}

const unavailable = (message: string) => new AppError(503, 'STORAGE_UNAVAILABLE', message, { extra: { retryAfterSeconds: 5 } });

/**
 * Validates and commits one batch for one facility. Answers only after the commit; a request
 * that can never succeed is a 400 (nothing stored), a busy or failing database a 503 with a
 * retry delay (nothing acknowledged).
 */
export async function ingest(deps: Deps, facilityId: string, input: IncomingSeries[]): Promise<IngestResult> {
  const batch = prepareBatch(input, deps.clock.now().getTime(), acceptedAgeMs(deps.config));
  const result: IngestResult = { accepted: batch.samples, inserted: 0, series: batch.series.length, dropped: batch.dropped };
  if (batch.series.length === 0) return result;
  const state = stateOf(deps.database);
  result.inserted = await inWriteSlot(deps, state, () => commitBatch(deps, state, facilityId, batch.series));
  return result;
}

/** Runs one write within the per-database limit of writes in flight; maps database failures to 400/503. */
async function inWriteSlot<T>(deps: Deps, state: IngestState, work: () => Promise<T>): Promise<T> {
  if (state.inFlight >= MAX_WRITES_IN_FLIGHT) {
    throw new AppError(503, 'WRITE_BUSY', `${state.inFlight} writes are in progress: retry shortly.`, { extra: { retryAfterSeconds: 1 } });
  }
  state.inFlight += 1;
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('22')) {
      throw badRequest('INVALID_SAMPLE', `The database refused a sample (${(error as Error).message}).`);
    }
    deps.log.warn({ err: error }, 'ingest failed');
    throw unavailable('The samples could not be stored now: retry after the delay given in Retry-After.');
  } finally {
    state.inFlight -= 1;
  }
}

/** A series seen before, by the bytes of its labels: where its samples go (the raw series and its vocabulary copy). */
interface WireSeriesEntry {
  metric: string;
  ids: number[];
  scales: number[];
  metrics: string[];
  /** Per target: the newest timestamp this process wrote to facility_metric_latest, and how often it may move. */
  latestTs: number[];
  latestEveryMs: number[];
}

/**
 * How often the latest value of a raw exporter series moves forward from remote_write: at most
 * once a minute per series (vocabulary and probe series: every sample). The latest upsert costs as
 * much as the sample insert itself, and a node_exporter sends hundreds of raw series per host for a
 * few that the dashboards, alerts and network matrix read; those stay exact.
 */
export const RAW_LATEST_INTERVAL_MS = 60_000;
const latestEveryMs = (metric: string) => (VOCABULARY_NAMES.has(metric) || metric.startsWith('probe_') ? 0 : RAW_LATEST_INTERVAL_MS);

function wireCacheOf(state: IngestState, facilityId: string): Map<string, WireSeriesEntry> {
  let cache = state.wireSeries.get(facilityId);
  if (!cache) {
    cache = new Map();
    state.wireSeries.set(facilityId, cache);
  }
  return cache;
}

/**
 * The remote_write hot path: the same rules and storage as `ingest`, read straight from the
 * protobuf bytes. A series seen before is recognised by the bytes of its labels (Prometheus encodes
 * them identically in every request) and costs no label decoding, validation or key building;
 * a new one is decoded, validated (checkLabels) and resolved once. Everything is validated before
 * anything is written: a request refused with a 400 stores nothing, not even its new series.
 */
export async function ingestRemoteWrite(deps: Deps, facilityId: string, bytes: Uint8Array): Promise<IngestResult> {
  const request = readWriteRequest(bytes);
  const nowMs = deps.clock.now().getTime();
  const pastMs = acceptedAgeMs(deps.config);
  const state = stateOf(deps.database);
  const cache = wireCacheOf(state, facilityId);
  const entries: (WireSeriesEntry | null)[] = new Array(request.series.length);
  const fresh: { index: number; metric: string; labels: Record<string, string>; key: string }[] = [];
  for (let i = 0; i < request.series.length; i++) {
    const series = request.series[i];
    const entry = cache.get(series.labelKey);
    if (entry) entries[i] = entry;
    else {
      const described = checkLabels(seriesLabels(request.buffer, series));
      fresh.push({ index: i, ...described });
      entries[i] = null;
    }
  }
  const dropped = { stale: 0, nonFinite: 0 };
  const metricOf = (i: number) => entries[i]?.metric ?? fresh.find((f) => f.index === i)!.metric;
  const hasPoints = new Uint8Array(request.series.length);
  for (let i = 0; i < request.series.length; i++) {
    const { timestamps, values } = request.series[i];
    for (let j = 0; j < timestamps.length; j++) {
      const ts = timestamps[j];
      if (!Number.isSafeInteger(ts) || ts > nowMs + LIMITS.futureMs || ts < nowMs - pastMs) checkTimestamp(metricOf(i), ts, nowMs, pastMs);
      const value = values[j];
      if (Number.isNaN(value)) dropped.stale += 1;
      else if (!Number.isFinite(value)) dropped.nonFinite += 1;
      else hasPoints[i] = 1;
    }
  }
  const result: IngestResult = { accepted: 0, inserted: 0, series: 0, dropped };
  if (!hasPoints.includes(1)) return result;
  const wanted = fresh.filter((f) => hasPoints[f.index]);
  result.inserted = await inWriteSlot(deps, state, async () => {
    if (wanted.length) await resolveWireSeries(deps, state, cache, facilityId, request.series, wanted, entries);
    const rows = { seriesIds: [] as number[], timestamps: [] as number[], values: [] as number[] };
    const newest = new Map<number, { metric: string; ts: number; value: number; entry: WireSeriesEntry; target: number }>();
    const days = new Set<number>();
    let lastDay = -1;
    let series = 0;
    for (let i = 0; i < request.series.length; i++) {
      if (!hasPoints[i]) continue;
      const entry = entries[i]!;
      const { timestamps, values } = request.series[i];
      for (let t = 0; t < entry.ids.length; t++) {
        const id = entry.ids[t];
        const scale = entry.scales[t];
        series += 1;
        let newestTs = Number.NEGATIVE_INFINITY;
        let newestValue = 0;
        for (let j = 0; j < timestamps.length; j++) {
          const value = values[j];
          if (!Number.isFinite(value)) continue;
          const ts = timestamps[j];
          const scaled = scale === 1 ? value : value * scale;
          rows.seriesIds.push(id);
          rows.timestamps.push(ts);
          rows.values.push(scaled);
          if (ts >= newestTs) {
            newestTs = ts;
            newestValue = scaled;
          }
          const day = ts - (ts % DAY_MS);
          if (day !== lastDay) days.add((lastDay = day));
        }
        if (newestTs < entry.latestTs[t] + entry.latestEveryMs[t]) continue;
        const seen = newest.get(id);
        if (!seen || newestTs >= seen.ts) newest.set(id, { metric: entry.metrics[t], ts: newestTs, value: newestValue, entry, target: t });
      }
    }
    result.accepted = rows.seriesIds.length;
    result.series = series;
    const inserted = await writeRows(deps, state, facilityId, rows, days, newest);
    for (const { entry, target, ts } of newest.values()) if (ts > entry.latestTs[target]) entry.latestTs[target] = ts;
    return inserted;
  });
  return result;
}

/** Day partitions first: a day's rows must never land in the default partition. */
async function ensurePartitions(state: IngestState, store: ReturnType<typeof monitoringStore>, days: Set<number>) {
  for (const day of days) {
    if (state.partitions.has(day)) continue;
    await store.ensureDayPartition(day);
    state.partitions.add(day);
  }
}

/** Inserts (idempotently) and caches the series of a request seen for the first time, with their vocabulary copies. */
async function resolveWireSeries(
  deps: Deps,
  state: IngestState,
  cache: Map<string, WireSeriesEntry>,
  facilityId: string,
  series: RawSeries[],
  wanted: { index: number; metric: string; labels: Record<string, string>; key: string }[],
  entries: (WireSeriesEntry | null)[],
) {
  const byHash = new Map<string, { metric: string; labels: Record<string, string>; hash: string }>();
  const planned = wanted.map((f) => {
    const targets = [{ metric: f.metric, hash: sha256Hex(f.key), scale: 1 }];
    const mapping = vocabularyOf(f.metric);
    if (mapping) targets.push({ metric: mapping.metric, hash: sha256Hex(canonicalKey(mapping.metric, f.labels)), scale: mapping.scale });
    for (const t of targets) byHash.set(t.hash, { metric: t.metric, labels: f.labels, hash: t.hash });
    return { index: f.index, metric: f.metric, targets };
  });
  const ids = await monitoringStore(deps.db).resolveSeries(facilityId, [...byHash.values()]);
  let cached = 0;
  for (const c of state.wireSeries.values()) cached += c.size;
  if (cached + planned.length > SERIES_CACHE_LIMIT) state.wireSeries.clear();
  for (const plan of planned) {
    const entry: WireSeriesEntry = { metric: plan.metric, ids: [], scales: [], metrics: [], latestTs: [], latestEveryMs: [] };
    for (const t of plan.targets) {
      const id = ids.get(t.hash);
      if (id === undefined) throw new Error(`series ${t.metric} was not stored`);
      entry.ids.push(id);
      entry.scales.push(t.scale);
      entry.metrics.push(t.metric);
      entry.latestTs.push(Number.NEGATIVE_INFINITY);
      entry.latestEveryMs.push(latestEveryMs(t.metric));
    }
    entries[plan.index] = entry;
    wireCacheOf(state, facilityId).set(series[plan.index].labelKey, entry);
  }
}

async function commitBatch(deps: Deps, state: IngestState, facilityId: string, series: PreparedSeries[]): Promise<number> {
  const store = monitoringStore(deps.db);
  // Series ids: cached; the new ones are inserted (committed on their own, so a cached id always exists).
  const cacheKey = (s: PreparedSeries) => `${facilityId}\u0001${s.key}`;
  const missing = series.filter((s) => !state.seriesIds.has(cacheKey(s)));
  if (missing.length > 0) {
    const hashed = missing.map((s) => ({ metric: s.metric, labels: s.labels, hash: sha256Hex(s.key) }));
    const ids = await store.resolveSeries(facilityId, hashed);
    if (state.seriesIds.size + missing.length > SERIES_CACHE_LIMIT) state.seriesIds.clear();
    missing.forEach((s, i) => {
      const id = ids.get(hashed[i].hash);
      if (id === undefined) throw new Error(`series ${s.metric} was not stored`);
      state.seriesIds.set(cacheKey(s), id);
    });
  }
  const rows = { seriesIds: [] as number[], timestamps: [] as number[], values: [] as number[] };
  const newest = new Map<number, { metric: string; ts: number; value: number }>();
  const days = new Set<number>();
  for (const s of series) {
    const id = state.seriesIds.get(cacheKey(s))!;
    let last = s.samples[0];
    for (const p of s.samples) {
      rows.seriesIds.push(id);
      rows.timestamps.push(p.ts);
      rows.values.push(p.value);
      days.add(p.ts - (p.ts % DAY_MS));
      if (p.ts >= last.ts) last = p;
    }
    newest.set(id, { metric: s.metric, ts: last.ts, value: last.value });
  }
  return writeRows(deps, state, facilityId, rows, days, newest);
}

/**
 * The one write of both ingest paths: day partitions first (a day's rows never land in the default
 * partition), then the samples and the latest values (one row per series, in series id order: a
 * stable lock order between concurrent writers) in one statement; tells the network fold about probes.
 */
async function writeRows(
  deps: Deps,
  state: IngestState,
  facilityId: string,
  rows: { seriesIds: number[]; timestamps: number[]; values: number[] },
  days: Set<number>,
  newest: Map<number, { metric: string; ts: number; value: number }>,
): Promise<number> {
  const store = monitoringStore(deps.db);
  await ensurePartitions(state, store, days);
  const ids = [...newest.keys()].sort((a, b) => a - b);
  const latest = { seriesIds: ids, metrics: ids.map((id) => newest.get(id)!.metric), timestamps: ids.map((id) => newest.get(id)!.ts), values: ids.map((id) => newest.get(id)!.value) };
  const inserted = await store.writeSamples(facilityId, rows, latest);
  noteProbeSamples(deps.database, facilityId, latest.metrics);
  return inserted;
}

// ---------------------------------------------------------------- queries

export const RESOLUTIONS = [
  { name: 'raw', stepSeconds: null, maxRangeMs: 6 * 3600_000 },
  { name: '5m', stepSeconds: 300, maxRangeMs: 7 * DAY_MS },
  { name: '1h', stepSeconds: 3600, maxRangeMs: 90 * DAY_MS },
  { name: '1d', stepSeconds: 86_400, maxRangeMs: Number.POSITIVE_INFINITY },
] as const;

/**
 * The resolution for a range: raw up to 6 h, 5 min up to 7 d, 1 h up to 90 d, 1 d beyond — and, given
 * the resolutions still kept for the range's start (retention), the finest of those that fits.
 */
export function resolutionFor(rangeMs: number, kept?: ReadonlySet<string>): (typeof RESOLUTIONS)[number] {
  return RESOLUTIONS.find((r) => rangeMs <= r.maxRangeMs && (!kept || kept.has(r.name))) ?? RESOLUTIONS[RESOLUTIONS.length - 1];
}

const MAX_SERIES = 500;
const MAX_POINTS = 100_000;

/** `from`/`to` of a query: ISO 8601 or Unix seconds; `fallback` when absent; 400 INVALID_TIME otherwise. */
export function parseTime(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw badRequest('INVALID_TIME', `${name}=${JSON.stringify(value)} is not a time: use ISO 8601 (2026-01-01T00:00:00Z) or Unix seconds.`);
  return ms;
}

export interface SeriesQuery {
  metric: string;
  from?: string;
  to?: string;
  step?: number;
}

export async function querySeries(deps: Deps, actor: Actor, facilityId: string, query: SeriesQuery) {
  await visibleFacility(deps, actor, facilityId);
  const now = deps.clock.now().getTime();
  const to = parseTime('to', query.to, now);
  const from = parseTime('from', query.from, to - 3600_000);
  if (from > to) throw badRequest('INVALID_RANGE', `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()}).`);
  // Past a resolution's retention (SUANLI_RETENTION_*_DAYS) the range is read from a coarser one.
  const kept = keptResolutions(deps.config, now - from);
  const picked = resolutionFor(to - from, kept);
  // An explicit step averages raw samples while they are kept, else the finest rollup kept that long.
  const level = query.step
    ? kept.has('raw') ? undefined : (ROLLUP_LEVELS.find((l) => kept.has(l.resolution)) ?? ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1])
    : ROLLUP_LEVELS.find((l) => l.resolution === picked.name);
  const stepSeconds = query.step ? Math.max(query.step, level?.stepSeconds ?? 0) : picked.stepSeconds;
  const resolution = query.step ? `${stepSeconds}s` : picked.name;
  const store = monitoringStore(deps.db);
  const series = await store.listSeries(facilityId, query.metric, MAX_SERIES + 1);
  if (series.length > MAX_SERIES) throw badRequest('TOO_MANY_SERIES', `${query.metric} has more than ${MAX_SERIES} series at this facility: ask for a narrower metric.`);
  const ids = series.map((s) => s.id);
  let source: 'raw' | 'rollup' | 'rollup+raw' = 'raw';
  let points: { seriesId: number; ts: number; value: number }[] = [];
  if (ids.length && level) {
    // Folded buckets from the rollup table, the buckets after its watermark averaged from raw samples.
    // (Buckets of an explicit step wider than the level's are split at the watermark rounded down to the step.)
    const stepMs = stepSeconds! * 1000;
    const watermark = Math.floor(((await store.rollupState()).get(level.resolution) ?? Number.NEGATIVE_INFINITY) / stepMs) * stepMs;
    const bucketFrom = Math.floor(from / stepMs) * stepMs;
    const folded = watermark > bucketFrom ? await store.rollupPoints(level, ids, bucketFrom, Math.min(watermark, to + 1), MAX_POINTS + 1, stepSeconds!) : [];
    const recent = to >= watermark ? await store.points(ids, Math.max(from, watermark), to, stepSeconds!, MAX_POINTS + 1) : [];
    source = watermark <= bucketFrom ? 'raw' : to >= watermark ? 'rollup+raw' : 'rollup';
    points = [...folded, ...recent];
  } else if (ids.length) {
    points = await store.points(ids, from, to, stepSeconds, MAX_POINTS + 1);
  }
  if (points.length > MAX_POINTS) throw badRequest('TOO_MANY_POINTS', `More than ${MAX_POINTS} points: narrow the range or raise step.`);
  const byId = new Map(series.map((s) => [s.id, { labels: s.labels, points: [] as { ts: string; value: number }[] }]));
  for (const p of points) byId.get(p.seriesId)!.points.push({ ts: new Date(p.ts).toISOString(), value: p.value });
  return {
    facilityId,
    metric: query.metric,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    resolution,
    stepSeconds: stepSeconds ?? null,
    source,
    series: [...byId.values()],
  };
}

export async function latestMetrics(deps: Deps, actor: Actor, facilityId: string, metric: string | undefined) {
  await visibleFacility(deps, actor, facilityId);
  const rows = await monitoringStore(deps.db).latest(facilityId, metric, 5000);
  const items = rows.map((r) => ({ metric: r.metric, labels: r.labels, ts: r.ts.toISOString(), value: r.value }));
  return { facilityId, items, total: items.length };
}
