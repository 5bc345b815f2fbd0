/**
 * The demo's telemetry model: plausible values of the vocabulary metrics of one facility at any
 * moment, as a pure function of the seed, the facility and the time (no state, no I/O), so that the
 * 90-day history written at load time and the live trickle afterwards join without a seam, and the
 * same seed gives the same values on every machine.
 */
import { createRandom } from './random.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;
const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/** What the model needs of a ledger facility. */
export interface DemoTelemetryFacility {
  /** Stable across loads of the same seed (the facility's name): the noise and the parameters derive from it. */
  key: string;
  kind: string;
  racksDesigned: number;
  racksInUse: number;
  pueMeasured: number | null;
  pueDesign: number | null;
  /** Accelerator cards installed. */
  accelerators: number;
}

export type DemoMetric = 'rack_utilization' | 'it_power_kw' | 'pue' | 'accelerator_utilization' | 'accelerators_total' | 'accelerators_healthy' | 'availability';

/** Per-facility parameters, drawn once from the seed and the facility key. */
export interface FacilityModel {
  facility: DemoTelemetryFacility;
  metrics: DemoMetric[];
  /** Noise stream id (a 32-bit hash of seed and key). */
  noiseSeed: number;
  /** Rack utilisation at `anchorMs` and how much lower it was 90 days earlier (slow growth). */
  utilisation: number;
  growth90d: number;
  wobblePhase: number;
  /** Mean load of a rack in use (× 2.5 kW per standard rack) and the depth of its daily cycle. */
  load: number;
  dailySwing: number;
  pue: number;
  pueSeasonal: number;
  accelerator: number;
  /** The time the trend is anchored at: utilisation equals the ledger's figure then. */
  anchorMs: number;
}

/** The vocabulary metrics a facility reports in the demo. */
export function demoMetricsOf(facility: DemoTelemetryFacility): DemoMetric[] {
  const metrics: DemoMetric[] = ['rack_utilization', 'it_power_kw', 'pue', 'availability'];
  if (facility.kind === 'intelligent' || facility.accelerators > 0) metrics.push('accelerator_utilization');
  if (facility.accelerators > 0) metrics.push('accelerators_total', 'accelerators_healthy');
  return metrics;
}

function hash32(seed: number, text: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform in [0, 1) that depends only on its three integer inputs (a stateless hash, not a stream). */
export function noise(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a + 0x7f4a7c15, 0x85ebca6b) ^ Math.imul(b + 0x165667b1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function facilityModel(seed: number, facility: DemoTelemetryFacility, anchorMs: number): FacilityModel {
  const random = createRandom(seed).fork(`monitoring:${facility.key}`);
  const utilisation = facility.racksDesigned > 0 ? clamp(facility.racksInUse / facility.racksDesigned, 0, 1) : 0;
  const pueBase = facility.pueMeasured ?? facility.pueDesign ?? 1.45;
  return {
    facility,
    metrics: demoMetricsOf(facility),
    noiseSeed: hash32(seed, facility.key),
    utilisation,
    growth90d: random.float(0, 0.06),
    wobblePhase: random.float(0, 2 * Math.PI),
    load: facility.kind === 'intelligent' ? random.float(0.65, 0.85) : random.float(0.5, 0.72),
    dailySwing: facility.kind === 'intelligent' ? random.float(0.04, 0.09) : random.float(0.06, 0.14),
    pue: pueBase,
    pueSeasonal: random.float(0.02, 0.06),
    accelerator: random.float(0.55, 0.85),
    anchorMs,
  };
}

const METRIC_INDEX: Record<DemoMetric, number> = { rack_utilization: 1, it_power_kw: 2, pue: 3, accelerator_utilization: 4, availability: 5, accelerators_total: 6, accelerators_healthy: 7 };

/** Beijing local hour of day in [0, 24): the daily cycles follow China's working day. */
const localHour = (ms: number) => ((((ms + 8 * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;

function rackUtilisationAt(model: FacilityModel, ms: number): number {
  const daysBefore = (model.anchorMs - ms) / DAY_MS;
  const trend = model.utilisation * (1 - (model.growth90d * daysBefore) / 90);
  const wobble = 0.008 * Math.sin((2 * Math.PI * ms) / (17 * DAY_MS) + model.wobblePhase);
  return clamp(trend + wobble, 0, 1);
}

/**
 * The value of one metric at `ms`. `minute` noise is drawn per whole minute, so a raw sample and
 * the bucket value built from the same minute agree.
 */
export function valueAt(model: FacilityModel, metric: DemoMetric, ms: number): number {
  const minute = Math.floor(ms / MINUTE_MS);
  const n = noise(model.noiseSeed, METRIC_INDEX[metric], minute) - 0.5;
  const hour = localHour(ms);
  // Peak in the afternoon (15:00), lowest before dawn; weekends a little quieter.
  const daily = Math.cos((2 * Math.PI * (hour - 15)) / 24);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((Math.floor((ms + 8 * HOUR_MS) / DAY_MS) + 4) % 7) + 7) % 7;
  const weekend = weekday === 0 || weekday === 6 ? -0.03 : 0;
  switch (metric) {
    case 'rack_utilization':
      return round(clamp(rackUtilisationAt(model, ms) + n * 0.002, 0, 1), 4);
    case 'it_power_kw': {
      const racks = model.facility.racksDesigned * rackUtilisationAt(model, ms);
      const load = clamp(model.load * (1 + model.dailySwing * daily + weekend) + n * 0.02, 0.2, 1);
      return round(racks * 2.5 * load, 1);
    }
    case 'pue': {
      // Highest in late July (cooling), lowest in late January; a little higher in the afternoon heat.
      const seasonal = model.pueSeasonal * Math.cos((2 * Math.PI * (ms - Date.UTC(2026, 6, 25))) / YEAR_MS);
      return round(Math.max(1.03, model.pue + seasonal + 0.01 * daily + n * 0.01), 3);
    }
    case 'accelerator_utilization':
      return round(clamp(model.accelerator * (1 + 0.12 * daily + weekend) + n * 0.06, 0, 1), 3);
    case 'accelerators_total':
      return model.facility.accelerators;
    case 'accelerators_healthy': {
      // A few cards out of service at any time (≈ 0.1–0.6 %), changing every hour.
      const failed = Math.round(model.facility.accelerators * 0.006 * noise(model.noiseSeed, 7, Math.floor(ms / HOUR_MS)));
      return model.facility.accelerators - failed;
    }
    case 'availability':
      // Up nearly always: a rare short partial outage (≈ 0.1 % of minutes at 90–99 %).
      return noise(model.noiseSeed, 99, minute) < 0.001 ? round(0.9 + 0.09 * (n + 0.5), 3) : 1;
  }
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** One rollup row: the aggregates of a bucket as the rollup job would have written them. */
export interface RollupRow {
  bucket: number;
  min: number;
  max: number;
  sum: number;
  count: number;
  last: number;
}

/**
 * The rollup rows of one metric for the buckets in [fromMs, toMs), built as the rollup job would from
 * one sample a minute, but only as fine as is kept: days from `fromMs` (from one value an hour before
 * `hourlyFromMs`), hours from `hourlyFromMs` (from one value per 5 minutes before `fiveMinuteFromMs`),
 * 5 min buckets from `fiveMinuteFromMs` (from their five minute values). Each coarser row folds the
 * finer ones, so the levels agree. fromMs must be day-aligned, the other bounds hour-aligned.
 */
export function rollupRows(model: FacilityModel, metric: DemoMetric, fromMs: number, toMs: number, hourlyFromMs: number, fiveMinuteFromMs: number) {
  const fiveMinutes: RollupRow[] = [];
  const hours: RollupRow[] = [];
  const days: RollupRow[] = [];
  let hour: RollupRow | null = null;
  let day: RollupRow | null = null;
  const fold = (into: RollupRow | null, bucket: number, row: RollupRow): RollupRow => {
    if (!into) return { bucket, min: row.min, max: row.max, sum: row.sum, count: row.count, last: row.last };
    into.min = Math.min(into.min, row.min);
    into.max = Math.max(into.max, row.max);
    into.sum += row.sum;
    into.count += row.count;
    into.last = row.last;
    return into;
  };
  let t = fromMs;
  while (t < toMs) {
    // The span this step stands for, and how many values it is built from.
    const span = t < hourlyFromMs ? HOUR_MS : 5 * MINUTE_MS;
    const values = t < fiveMinuteFromMs ? 1 : 5;
    const samples = span / MINUTE_MS;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let last = 0;
    for (let m = 0; m < values; m++) {
      const v = valueAt(model, metric, t + m * MINUTE_MS);
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v * (samples / values);
      last = v;
    }
    const row: RollupRow = { bucket: t, min, max, sum, count: samples, last };
    if (t >= fiveMinuteFromMs) fiveMinutes.push(row);
    if (t >= hourlyFromMs) {
      const hourStart = Math.floor(t / HOUR_MS) * HOUR_MS;
      if (hour && hour.bucket !== hourStart) {
        hours.push(hour);
        hour = null;
      }
      hour = fold(hour, hourStart, row);
    }
    const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
    if (day && day.bucket !== dayStart) {
      days.push(day);
      day = null;
    }
    day = fold(day, dayStart, row);
    t += span;
  }
  if (hour) hours.push(hour);
  // A day still in progress at toMs is left to the rollup job (it folds it from the hours once complete).
  if (day && day.bucket + DAY_MS <= toMs) days.push(day);
  return { fiveMinutes, hours, days };
}
