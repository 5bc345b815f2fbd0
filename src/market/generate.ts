/**
 * Seeded synthetic offers and demands for tests and bench/match.ts (and later the demo market):
 * cards from the accelerator catalogue, in cities that have a location, priced from their FP16 peak
 * so that dearer cards cost more, as in the market.
 */
import { ACCELERATOR_CATALOGUE } from '../ledger/catalogue.ts';
import type { AcceleratorSpec } from '../ledger/catalogue.ts';
import { loadRegions } from '../regions/dataset.ts';
import type { Region } from '../regions/dataset.ts';
import type { Random } from '../demo/random.ts';
import type { Demand, Offer } from './types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let citiesCache: Region[] | undefined;
function cities(): Region[] {
  citiesCache ??= loadRegions().filter((r) => r.level === 'city' && r.lon !== null && r.lat !== null);
  return citiesCache;
}

/** Indicative CNY per card-hour: about ¥1 per 50 TFLOPS FP16 (H200 ≈ ¥20), never below ¥1.5. */
export function referencePrice(spec: AcceleratorSpec): number {
  return Math.max(1.5, spec.peak.fp16 / 50);
}

// A handful of popular cards carry most of the market, the rest a long tail.
const popular = new Set(['H200', 'H100 SXM', 'H800', 'H20', 'A100 80GB', 'A800', 'Ascend 910B', 'RTX 4090', 'L40S']);
const modelWeight = (spec: AcceleratorSpec) => (popular.has(spec.model) ? 6 : 1);

export interface GenerateOptions {
  now: number; // epoch ms
  models?: readonly AcceleratorSpec[]; // default: the whole catalogue
}

export function generateOffers(random: Random, n: number, options: GenerateOptions): Offer[] {
  const models = options.models ?? ACCELERATOR_CATALOGUE;
  const offers: Offer[] = [];
  for (let i = 0; i < n; i++) {
    const spec = random.weighted(models, modelWeight);
    const city = random.pick(cities());
    const monthly = random.chance(0.1);
    const start = options.now - random.int(0, 30) * DAY;
    const end = random.chance(0.03) ? options.now - random.int(1, 10) * DAY : options.now + random.int(14, 180) * DAY;
    const perHour = referencePrice(spec) * random.float(0.7, 1.4);
    offers.push({
      id: `offer-${String(i).padStart(6, '0')}`,
      facilityId: `facility-${random.int(1, Math.max(1, Math.floor(n / 20)))}`,
      supplierOrgId: `org-${random.int(1, 200)}`,
      regionCode: city.code,
      resourceKind: spec.domestic ? 'npu' : 'gpu',
      acceleratorModel: spec.model,
      count: Math.max(1, Math.round(random.logNormal(16, 0.9))),
      memoryGb: spec.memoryGb,
      interconnect: random.pick(['NVLink', 'RoCE 200G', 'RoCE 400G', 'InfiniBand NDR', 'HCCS']),
      window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
      pricePerUnit: Math.round((monthly ? perHour * 730 * 0.75 : perHour) * 100) / 100,
      unit: monthly ? 'month' : 'card_hour',
      minTermHours: random.pick([1, 1, 8, 24, 72]),
      slaPct: random.pick([99, 99.5, 99.9, 99.95]),
      greenPowerPct: Math.round(random.float(0, 100)),
      facilityRackUtilization: Math.round(random.float(0.2, 0.95) * 100) / 100,
      supplierReputation: Math.round(random.float(3, 5) * 10) / 10,
      lon: city.lon! + random.float(-0.05, 0.05),
      lat: city.lat! + random.float(-0.05, 0.05),
    });
  }
  return offers;
}

export function generateDemands(random: Random, n: number, options: GenerateOptions): Demand[] {
  const models = options.models ?? ACCELERATOR_CATALOGUE;
  const demands: Demand[] = [];
  for (let i = 0; i < n; i++) {
    const spec = random.weighted(models, modelWeight);
    const byTflops = random.chance(0.2);
    const origin = random.pick(cities());
    const demand: Demand = {
      id: `demand-${String(i).padStart(6, '0')}`,
      hard: byTflops ? { minTflops: Math.round(spec.peak.fp16 * 0.9), precision: 'fp16' } : { acceleratorModel: spec.model },
      count: Math.max(1, Math.round(random.logNormal(6, 0.8))),
      start: new Date(options.now + random.int(1, 7) * DAY).toISOString(),
      durationHours: random.pick([24, 72, 168]),
      weights: {
        price: random.float(0, 1),
        latency: random.float(0, 1),
        green: random.float(0, 1),
        reputation: random.float(0, 1),
        utilisation: random.float(0, 0.5),
      },
    };
    if (random.chance(0.3)) demand.latency = { fromRegionCode: origin.code, maxMs: random.pick([5, 10, 20]) };
    if (random.chance(0.15)) demand.regionsAllowed = [origin.provinceCode];
    if (random.chance(0.5)) demand.maxPricePerUnit = Math.round(referencePrice(spec) * random.float(1, 1.5) * 100) / 100;
    demands.push(demand);
  }
  return demands;
}
