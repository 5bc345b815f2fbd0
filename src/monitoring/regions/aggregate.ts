/**
 * The maths of the region aggregates (docs/monitoring.md §9): one facility's figures from its
 * series, a region's figures from its facilities, and which figures an actor may be shown. Pure:
 * no I/O, no clock.
 */

/** A facility is silent when none of its series has a sample newer than this. */
export const SILENT_AFTER_MS = 10 * 60_000;

/**
 * The smallest number of facilities an actor may not see that a published figure may rest on: a
 * figure that rests on 1 or 2 of them would tell that one facility's figures (or, with the
 * actor's own facility, the other one's). Figures resting only on facilities the actor may see
 * are never withheld.
 */
export const MIN_HIDDEN_FACILITIES = 3;

/** The vocabulary metrics the aggregates read. */
export const REGION_METRICS = ['rack_utilization', 'it_power_kw', 'pue', 'accelerator_utilization', 'accelerators_healthy', 'accelerators_total', 'availability'] as const;
export type RegionMetric = (typeof REGION_METRICS)[number];

/** The figures of a region, each withheld on its own (they rest on different facilities). */
export const FIGURES = ['rackUtilization', 'itPowerKw', 'pue', 'acceleratorUtilization', 'accelerators', 'availability'] as const;
export type Figure = (typeof FIGURES)[number];

/** One facility at one moment (or one bucket): its series reduced to one value per metric. */
export interface FacilityFigures {
  /** Mean over its series. */
  rackUtilization: number | null;
  /** Sum over its series (halls, feeds). */
  itPowerKw: number | null;
  /** Mean over its series. */
  pue: number | null;
  /** Mean over its series (one per accelerator, or one for the facility). */
  acceleratorUtilization: number | null;
  /** How many accelerator_utilization series it has: the weight of last resort. */
  acceleratorUtilizationSeries: number;
  /** Sums over its series (one per host or agent). */
  acceleratorsHealthy: number | null;
  acceleratorsTotal: number | null;
  /** Mean over its series (share of targets up). */
  availability: number | null;
}

export const NO_FIGURES: FacilityFigures = {
  rackUtilization: null,
  itPowerKw: null,
  pue: null,
  acceleratorUtilization: null,
  acceleratorUtilizationSeries: 0,
  acceleratorsHealthy: null,
  acceleratorsTotal: null,
  availability: null,
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const mean = (values: number[]) => (values.length ? sum(values) / values.length : null);

/** One facility's figures from the values of its series (metrics outside REGION_METRICS are ignored). */
export function reduceFacility(values: readonly { metric: string; value: number }[]): FacilityFigures {
  const by = new Map<string, number[]>();
  for (const v of values) {
    if (!Number.isFinite(v.value)) continue;
    const list = by.get(v.metric);
    if (list) list.push(v.value);
    else by.set(v.metric, [v.value]);
  }
  const of = (metric: RegionMetric) => by.get(metric) ?? [];
  const total = (metric: RegionMetric) => (of(metric).length ? sum(of(metric)) : null);
  return {
    rackUtilization: mean(of('rack_utilization')),
    itPowerKw: total('it_power_kw'),
    pue: mean(of('pue')),
    acceleratorUtilization: mean(of('accelerator_utilization')),
    acceleratorUtilizationSeries: of('accelerator_utilization').length,
    acceleratorsHealthy: total('accelerators_healthy'),
    acceleratorsTotal: total('accelerators_total'),
    availability: mean(of('availability')),
  };
}

/** A facility as the region aggregates see it: its figures and what the ledger says of it. */
export interface FacilityInput {
  id: string;
  figures: FacilityFigures;
  /** Racks designed (ledger): the weight of rack utilisation. */
  racksDesigned: number;
  /** Accelerator cards registered (ledger): the weight of accelerator utilisation when none are reported. */
  acceleratorsRegistered: number;
}

/** Whether a facility's figures enter a region figure. */
export function contributes(f: FacilityFigures, figure: Figure): boolean {
  switch (figure) {
    case 'rackUtilization':
      return f.rackUtilization !== null;
    case 'itPowerKw':
      return f.itPowerKw !== null;
    case 'pue':
      return f.pue !== null && f.itPowerKw !== null && f.itPowerKw > 0;
    case 'acceleratorUtilization':
      return f.acceleratorUtilization !== null;
    case 'accelerators':
      return f.acceleratorsTotal !== null && f.acceleratorsHealthy !== null;
    case 'availability':
      return f.availability !== null;
  }
}

/** The weight of a facility's accelerator utilisation: accelerators reported, else registered, else its series. */
export function acceleratorWeight(input: FacilityInput): number {
  const reported = input.figures.acceleratorsTotal;
  if (reported !== null && reported > 0) return reported;
  if (input.acceleratorsRegistered > 0) return input.acceleratorsRegistered;
  return Math.max(1, input.figures.acceleratorUtilizationSeries);
}

export interface RegionFigures {
  rackUtilization: { average: number | null; weighted: number | null };
  itPowerKw: number | null;
  pue: number | null;
  acceleratorUtilization: number | null;
  accelerators: { healthy: number | null; total: number | null };
  availability: number | null;
  /** How many facilities each figure rests on. */
  contributors: Record<Figure, number>;
}

const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

/**
 * The sums a region's figures are ratios of. The trend's SQL (store.ts) computes the same sums per
 * bucket, so that the live figures and the trend share figuresFromSums.
 */
export interface FigureSums {
  /** n contributors; Σ u; Σ u·racks and Σ racks over those with racks designed. */
  rack: { n: number; sum: number; weightedSum: number; weight: number };
  power: { n: number; sum: number };
  /** Σ PUE·P and Σ P over facilities with a PUE and P > 0. */
  pue: { n: number; weightedSum: number; weight: number };
  /** Σ a·w and Σ w, w = acceleratorWeight. */
  accelerator: { n: number; weightedSum: number; weight: number };
  accelerators: { n: number; healthy: number; total: number };
  availability: { n: number; sum: number };
}

/** The sums over the facilities, in id order (so the result does not depend on the order they came in). */
export function sumsOf(facilities: readonly FacilityInput[]): FigureSums {
  const sorted = [...facilities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const s: FigureSums = {
    rack: { n: 0, sum: 0, weightedSum: 0, weight: 0 },
    power: { n: 0, sum: 0 },
    pue: { n: 0, weightedSum: 0, weight: 0 },
    accelerator: { n: 0, weightedSum: 0, weight: 0 },
    accelerators: { n: 0, healthy: 0, total: 0 },
    availability: { n: 0, sum: 0 },
  };
  for (const input of sorted) {
    const f = input.figures;
    if (contributes(f, 'rackUtilization')) {
      s.rack.n += 1;
      s.rack.sum += f.rackUtilization!;
      if (input.racksDesigned > 0) {
        s.rack.weightedSum += f.rackUtilization! * input.racksDesigned;
        s.rack.weight += input.racksDesigned;
      }
    }
    if (contributes(f, 'itPowerKw')) {
      s.power.n += 1;
      s.power.sum += f.itPowerKw!;
    }
    if (contributes(f, 'pue')) {
      s.pue.n += 1;
      s.pue.weightedSum += f.pue! * f.itPowerKw!;
      s.pue.weight += f.itPowerKw!;
    }
    if (contributes(f, 'acceleratorUtilization')) {
      const w = acceleratorWeight(input);
      s.accelerator.n += 1;
      s.accelerator.weightedSum += f.acceleratorUtilization! * w;
      s.accelerator.weight += w;
    }
    if (contributes(f, 'accelerators')) {
      s.accelerators.n += 1;
      s.accelerators.healthy += f.acceleratorsHealthy!;
      s.accelerators.total += f.acceleratorsTotal!;
    }
    if (contributes(f, 'availability')) {
      s.availability.n += 1;
      s.availability.sum += f.availability!;
    }
  }
  return s;
}

/** A region's figures from its sums: ratios rounded to 6 decimals, kW to 3. */
export function figuresFromSums(s: FigureSums): RegionFigures {
  return {
    rackUtilization: { average: round(ratio(s.rack.sum, s.rack.n), 6), weighted: round(ratio(s.rack.weightedSum, s.rack.weight), 6) },
    itPowerKw: s.power.n ? round(s.power.sum, 3) : null,
    pue: round(ratio(s.pue.weightedSum, s.pue.weight), 6),
    acceleratorUtilization: round(ratio(s.accelerator.weightedSum, s.accelerator.weight), 6),
    accelerators: { healthy: s.accelerators.n ? s.accelerators.healthy : null, total: s.accelerators.n ? s.accelerators.total : null },
    availability: round(ratio(s.availability.sum, s.availability.n), 6),
    contributors: {
      rackUtilization: s.rack.n,
      itPowerKw: s.power.n,
      pue: s.pue.n,
      acceleratorUtilization: s.accelerator.n,
      accelerators: s.accelerators.n,
      availability: s.availability.n,
    },
  };
}

/** A region's figures from its facilities (those with fresh values; silent ones are left out before). */
export function aggregate(facilities: readonly FacilityInput[]): RegionFigures {
  return figuresFromSums(sumsOf(facilities));
}

/** The figure's values replaced by null (withheld). */
export function withhold(figures: RegionFigures, withheld: ReadonlySet<Figure>): RegionFigures {
  if (withheld.size === 0) return figures;
  return {
    ...figures,
    rackUtilization: withheld.has('rackUtilization') ? { average: null, weighted: null } : figures.rackUtilization,
    itPowerKw: withheld.has('itPowerKw') ? null : figures.itPowerKw,
    pue: withheld.has('pue') ? null : figures.pue,
    acceleratorUtilization: withheld.has('acceleratorUtilization') ? null : figures.acceleratorUtilization,
    accelerators: withheld.has('accelerators') ? { healthy: null, total: null } : figures.accelerators,
    availability: withheld.has('availability') ? null : figures.availability,
  };
}

// ---------------------------------------------------------------- disclosure control

/** A figure resting on 1 … MIN_HIDDEN_FACILITIES − 1 facilities the actor may not see is withheld. */
export const tooFewHidden = (hidden: number, min = MIN_HIDDEN_FACILITIES) => hidden > 0 && hidden < min;

export interface DisclosureNode {
  key: string;
  /** Facilities in the node the figure rests on that the actor may not see. */
  hidden: number;
  /** Never shown on its own (e.g. the facilities of a province registered without a city). */
  unlisted?: boolean;
}

/**
 * Which children of a node to withhold so that no published figure, nor a difference of published
 * figures (the parent minus the shown children), rests on 1 … min − 1 facilities the actor may not
 * see. A child is withheld when it rests on too few itself (primary); then, while the withheld
 * children together rest on too few — which the parent minus the shown children would disclose —
 * the shown child with the fewest hidden facilities (then the lowest key) is withheld as well
 * (secondary). A withheld parent must not be recoverable as the sum of its children either, so
 * under it the withheld children must rest on at least `min` hidden facilities or on all of the
 * parent's. Deterministic: the same answer for the same counts in every request, so a region's own
 * answer agrees with the row of it in its parent's answer.
 */
export function withheldChildren(parent: { hidden: number; withheld: boolean }, children: readonly DisclosureNode[], min = MIN_HIDDEN_FACILITIES): Set<string> {
  const withheld = new Set<string>();
  let hidden = 0;
  for (const child of children) {
    if (child.unlisted || tooFewHidden(child.hidden, min)) {
      withheld.add(child.key);
      hidden += child.hidden;
    }
  }
  const safe = () => (parent.withheld ? hidden >= min || hidden >= parent.hidden : !tooFewHidden(hidden, min));
  const candidates = children
    .filter((c) => !withheld.has(c.key) && c.hidden > 0)
    .sort((a, b) => a.hidden - b.hidden || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const child of candidates) {
    if (safe()) break;
    withheld.add(child.key);
    hidden += child.hidden;
  }
  return withheld;
}
