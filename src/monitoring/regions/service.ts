/**
 * The region aggregates of live telemetry (态势感知, docs/monitoring.md §9): a region's figures now,
 * per child region (or per facility of a city or county), and over a range — withheld where they
 * would tell an actor a facility's figures it may not see.
 */
import type { Deps } from '../../deps.ts';
import { badRequest, notFound } from '../../errors.ts';
import { type Actor, COUNTRY_CODE, governs } from '../../identity/actor.ts';
import { ancestorsOf, childrenOf, type Region, regionIndex } from '../../regions/dataset.ts';
import { parseTime, resolutionFor } from '../service.ts';
import { keptResolutions } from '../retention.ts';
import { monitoringStore, ROLLUP_LEVELS, type RollupLevel } from '../store.ts';
import {
  aggregate,
  contributes,
  type FacilityInput,
  type Figure,
  FIGURES,
  MIN_HIDDEN_FACILITIES,
  figuresFromSums,
  reduceFacility,
  type RegionFigures,
  SILENT_AFTER_MS,
  tooFewHidden,
  withheldChildren,
  withhold,
} from './aggregate.ts';
import { type ConnectedFacilityRow, type RegionScope, regionsStore } from './store.ts';

const DAY_MS = 86_400_000;
/** The longest trend asked for with from/to. */
export const MAX_TREND_RANGE_MS = 366 * DAY_MS;

/** The trend's presets: 24 h of 5 min buckets, 7 and 30 days of hourly ones. */
export const TREND_RANGES = { '24h': { spanMs: DAY_MS, resolution: '5m' }, '7d': { spanMs: 7 * DAY_MS, resolution: '1h' }, '30d': { spanMs: 30 * DAY_MS, resolution: '1h' } } as const;
export type TrendRange = keyof typeof TREND_RANGES;

export interface RegionQuery {
  range?: TrendRange;
  from?: string;
  to?: string;
  /** false: no trend (null). */
  trend?: boolean;
}

type Level = 'country' | 'province' | 'city' | 'county';

/** A facility with telemetry as the aggregates see it. */
interface LiveFacility extends FacilityInput {
  row: ConnectedFacilityRow;
  reporting: boolean;
  /** Whether the actor may see this facility's telemetry (owner, governing body, administrator). */
  visible: boolean;
}

const maySee = (actor: Actor, f: ConnectedFacilityRow) => actor.isAdmin || f.ownerOrgId === actor.orgId || governs(actor, f.regionCode);

/** The key of a facility's child region under a region of `level`: '' when it has none at the next level. */
function childKeyOf(level: Level, f: ConnectedFacilityRow): string {
  switch (level) {
    case 'country':
      return f.provinceCode;
    case 'province':
      return f.cityCode ?? '';
    case 'city':
      return regionIndex().get(f.regionCode)?.level === 'county' && f.regionCode !== f.cityCode ? f.regionCode : '';
    case 'county':
      return f.id;
  }
}

const inside = (level: Level, code: string, f: ConnectedFacilityRow) =>
  level === 'country' ? true : level === 'province' ? f.provinceCode === code : level === 'city' ? f.cityCode === code : f.regionCode === code;

/** Country → province → city → county down to the region asked for. */
function pathTo(region: Region | null): { level: Level; code: string }[] {
  return [{ level: 'country', code: COUNTRY_CODE }, ...(region ? ancestorsOf(region.code).map((r) => ({ level: r.level as Level, code: r.code })) : [])];
}

/**
 * For one figure: whether the region is withheld, and which of its children are, walking the
 * disclosure rule (aggregate.ts withheldChildren) from the country down, so that the answer for a
 * region agrees with its row in its parent's answer.
 */
function disclosure(path: { level: Level; code: string }[], facilities: LiveFacility[], figure: Figure): { withheld: boolean; children: Set<string> } {
  const contributing = facilities.filter((f) => f.reporting && contributes(f.figures, figure));
  const hiddenIn = (members: LiveFacility[]) => members.filter((f) => !f.visible).length;
  const groups = (level: Level, members: LiveFacility[]) => {
    const by = new Map<string, LiveFacility[]>();
    for (const f of members) {
      const key = childKeyOf(level, f.row);
      by.set(key, [...(by.get(key) ?? []), f]);
    }
    return [...by.entries()].map(([key, list]) => ({ key, hidden: hiddenIn(list), unlisted: key === '' }));
  };
  let members = contributing;
  let withheld = tooFewHidden(hiddenIn(members));
  for (let i = 0; i + 1 < path.length; i++) {
    const next = path[i + 1];
    const children = withheldChildren({ hidden: hiddenIn(members), withheld }, groups(path[i].level, members));
    withheld = children.has(next.code);
    members = members.filter((f) => inside(next.level, next.code, f.row));
  }
  const last = path[path.length - 1];
  return { withheld, children: withheldChildren({ hidden: hiddenIn(members), withheld }, groups(last.level, members)) };
}

const FIGURES_NONE = new Set<Figure>();

function counts(members: LiveFacility[], registered: { registered: number; inOperation: number } | undefined) {
  const reporting = members.filter((f) => f.reporting).length;
  return { registered: registered?.registered ?? 0, inOperation: registered?.inOperation ?? 0, connected: members.length, reporting, silent: members.length - reporting };
}

const view = (figures: RegionFigures, withheld: Set<Figure>) => ({ ...withhold(figures, withheld), withheld: FIGURES.filter((f) => withheld.has(f)) });

/** The rollup level of `resolution`, or the next coarser one still kept for a range starting `ageMs` ago (retention). */
function keptLevel(resolution: string, config: Deps['config'], ageMs: number): RollupLevel {
  const kept = keptResolutions(config, ageMs);
  const from = ROLLUP_LEVELS.findIndex((l) => l.resolution === resolution);
  return ROLLUP_LEVELS.slice(from).find((l) => kept.has(l.resolution)) ?? ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1];
}

function parseTrend(query: RegionQuery, nowMs: number, config: Deps['config']): { fromMs: number; toMs: number; level: RollupLevel } {
  if (query.range && (query.from || query.to)) throw badRequest('CONFLICTING_PARAMETERS', 'Give either range (24h, 7d, 30d) or from/to, not both.');
  if (query.from || query.to) {
    const toMs = parseTime('to', query.to, nowMs);
    const fromMs = parseTime('from', query.from, toMs - DAY_MS);
    if (fromMs > toMs) throw badRequest('INVALID_RANGE', `from (${new Date(fromMs).toISOString()}) is after to (${new Date(toMs).toISOString()}).`);
    if (toMs - fromMs > MAX_TREND_RANGE_MS) throw badRequest('RANGE_TOO_LONG', `The trend covers at most ${MAX_TREND_RANGE_MS / DAY_MS} days: narrow from/to.`);
    // As the series API (raw up to 6 h, 5 min up to 7 d, 1 h up to 90 d, 1 d beyond, among the
    // resolutions still kept for `from`), but never raw: a region's trend is buckets.
    const picked = resolutionFor(toMs - fromMs).name;
    return { fromMs, toMs, level: keptLevel(picked === 'raw' ? '5m' : picked, config, nowMs - fromMs) };
  }
  const preset = TREND_RANGES[query.range ?? '24h'];
  return { fromMs: nowMs - preset.spanMs, toMs: nowMs, level: keptLevel(preset.resolution, config, preset.spanMs) };
}

export async function regionAggregates(deps: Deps, actor: Actor, code: string, query: RegionQuery) {
  if (!/^\d{6}$/.test(code)) throw badRequest('INVALID_REGION_CODE', `${JSON.stringify(code.slice(0, 20))} is not a region code: use 000000 for the country or a six-digit GB/T 2260 code from GET /api/v1/regions.`);
  const region = code === COUNTRY_CODE ? null : (regionIndex().get(code) ?? null);
  if (code !== COUNTRY_CODE && !region) throw notFound('Region', code);
  const level: Level = region ? (region.level as Level) : 'country';
  const now = deps.clock.now().getTime();
  const trendWindow = parseTrend(query, now, deps.config);
  const scope: RegionScope = region ? { level: region.level, code: region.code } : { level: 'country' };
  const childLevel: 'province' | 'city' | 'facility' = level === 'country' ? 'province' : level === 'province' ? 'city' : 'facility';

  const store = regionsStore(deps.db);
  const since = now - SILENT_AFTER_MS;
  const [connected, fresh, registeredTotal, registeredByChild, rollupState] = await Promise.all([
    store.connectedFacilities(),
    store.freshValues(since),
    store.registered(scope, null),
    childLevel === 'facility' ? Promise.resolve([]) : store.registered(scope, childLevel),
    monitoringStore(deps.db).rollupState(),
  ]);
  const valuesOf = new Map<string, { metric: string; value: number }[]>();
  for (const v of fresh) valuesOf.set(v.facilityId, [...(valuesOf.get(v.facilityId) ?? []), v]);
  const facilities: LiveFacility[] = connected.map((row) => {
    const reporting = row.lastSampleMs >= since;
    return {
      id: row.id,
      row,
      reporting,
      visible: maySee(actor, row),
      figures: reduceFacility(reporting ? (valuesOf.get(row.id) ?? []) : []),
      racksDesigned: row.racksDesigned,
      acceleratorsRegistered: row.acceleratorsRegistered,
    };
  });

  // Which figures are withheld, for the region and for each child region.
  const path = pathTo(region);
  const regionWithheld = new Set<Figure>();
  const childWithheld = new Map<string, Set<Figure>>();
  for (const figure of FIGURES) {
    const decided = disclosure(path, facilities, figure);
    if (decided.withheld) regionWithheld.add(figure);
    for (const key of decided.children) {
      const set = childWithheld.get(key) ?? new Set<Figure>();
      set.add(figure);
      childWithheld.set(key, set);
    }
  }

  const members = facilities.filter((f) => inside(level, code, f.row));
  const reporting = members.filter((f) => f.reporting);
  const totals = { facilities: counts(members, registeredTotal[0]), ...view(aggregate(reporting), regionWithheld) };

  // One facility's figures only for those who may see its telemetry; the others are counted.
  const hiddenFacilities = childLevel === 'facility' ? members.filter((f) => !f.visible).length : 0;
  const facilityRows =
    childLevel !== 'facility'
      ? []
      : members
          .filter((f) => f.visible)
          .sort((a, b) => a.row.name.localeCompare(b.row.name, 'zh-CN') || (a.id < b.id ? -1 : 1))
          .map((f) => ({
            id: f.id,
            name: f.row.name,
            computeId: f.row.computeId,
            regionCode: f.row.regionCode,
            status: f.reporting ? ('reporting' as const) : ('silent' as const),
            lastSampleAt: new Date(f.row.lastSampleMs).toISOString(),
            racksDesigned: f.racksDesigned,
            ...view(aggregate(f.reporting ? [f] : []), FIGURES_NONE),
          }));
  const registeredOf = new Map(registeredByChild.map((r) => [r.key ?? '', r]));
  const children =
    childLevel === 'facility'
      ? []
      : childrenOf(region?.code ?? null).map((child) => {
          const inChild = members.filter((f) => childKeyOf(level, f.row) === child.code);
          return {
            code: child.code,
            name: child.name,
            shortName: child.shortName,
            lon: child.lon,
            lat: child.lat,
            facilities: counts(inChild, registeredOf.get(child.code)),
            ...view(aggregate(inChild.filter((f) => f.reporting)), childWithheld.get(child.code) ?? FIGURES_NONE),
          };
        });

  // The trend of the region's figures, withheld as the region's are now, and per bucket where it rests on too few hidden facilities.
  const trend = query.trend === false ? null : await regionTrend(store, members, regionWithheld, trendWindow, rollupState);

  return {
    region: region ? { code: region.code, name: region.name, shortName: region.shortName, level: region.level } : { code: COUNTRY_CODE, name: '全国', shortName: '全国', level: 'country' },
    at: new Date(now).toISOString(),
    silentAfterSeconds: SILENT_AFTER_MS / 1000,
    minHiddenFacilities: MIN_HIDDEN_FACILITIES,
    totals,
    childLevel,
    children,
    facilities: facilityRows,
    hiddenFacilities,
    trend,
  };
}

async function regionTrend(
  store: ReturnType<typeof regionsStore>,
  members: LiveFacility[],
  regionWithheld: Set<Figure>,
  window: { fromMs: number; toMs: number; level: RollupLevel },
  rollupState: Map<string, number>,
) {
  const { fromMs, toMs, level } = window;
  const watermark = rollupState.get(level.resolution) ?? null;
  const buckets = await store.trend(
    members.map((f) => ({ id: f.id, racksDesigned: f.racksDesigned, acceleratorsRegistered: f.acceleratorsRegistered, visible: f.visible })),
    level,
    fromMs,
    toMs,
    watermark,
  );
  const points = buckets.map((bucket) => {
    const withheld = new Set<Figure>(regionWithheld);
    for (const figure of FIGURES) if (tooFewHidden(bucket.hidden[figure])) withheld.add(figure);
    return { ts: new Date(bucket.ts).toISOString(), facilities: bucket.facilities, ...view(figuresFromSums(bucket.sums), withheld) };
  });
  const stepMs = level.stepSeconds * 1000;
  const bucketFrom = Math.floor(fromMs / stepMs) * stepMs;
  const source: 'raw' | 'rollup' | 'rollup+raw' = watermark === null || watermark <= bucketFrom ? 'raw' : toMs >= watermark ? 'rollup+raw' : 'rollup';
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), resolution: level.resolution, stepSeconds: level.stepSeconds, source, points };
}

