/**
 * The published method of the comprehensive computing power index (综合算力指数): its dimensions,
 * sub-indicators and default weights. docs/methods/index.md explains every line; change both together
 * and bump INDEX_METHOD_VERSION whenever a formula, a scale or a default weight changes.
 */

export const INDEX_METHOD_VERSION = '1.0';
export const INDEX_METHOD_DOCUMENT = 'docs/methods/index.md';

export const DIMENSIONS = ['compute', 'storage', 'network', 'model', 'environment'] as const;
export type DimensionId = (typeof DIMENSIONS)[number];

/** How raw values become comparable before min–max: `log` for heavy-tailed totals, `linear` for shares and ratios. */
export type IndicatorScale = 'linear' | 'log';
export type IndicatorDirection = 'higher' | 'lower';

export interface IndicatorDefinition {
  id: string;
  dimension: DimensionId;
  name: string;
  unit: string;
  direction: IndicatorDirection;
  scale: IndicatorScale;
  source: string;
  /** False while the platform has no source for it: every region then gets the neutral score. */
  available: boolean;
}

const LEDGER = 'ledger: facilities in operation';

/** Fixed order: dimensions as in DIMENSIONS, indicators as listed. Every computation walks this order. */
export const INDICATORS: readonly IndicatorDefinition[] = [
  { id: 'compute.fp32Equivalent', dimension: 'compute', name: 'FP32-equivalent compute', unit: 'TFLOPS', direction: 'higher', scale: 'log', source: `${LEDGER}, Σ fp32_equivalent`, available: true },
  { id: 'compute.intelligentShare', dimension: 'compute', name: 'Intelligent compute share', unit: '%', direction: 'higher', scale: 'linear', source: `${LEDGER}, Σ fp32_equivalent of kind intelligent / Σ fp32_equivalent`, available: true },
  { id: 'compute.accelerators', dimension: 'compute', name: 'Accelerator cards', unit: 'cards', direction: 'higher', scale: 'log', source: `${LEDGER}, Σ accelerators[].count`, available: true },
  { id: 'storage.capacity', dimension: 'storage', name: 'Storage capacity', unit: 'PB', direction: 'higher', scale: 'log', source: `${LEDGER}, Σ storage_pb`, available: true },
  { id: 'storage.advancedShare', dimension: 'storage', name: 'Advanced-storage share', unit: '%', direction: 'higher', scale: 'linear', source: `${LEDGER}, Σ storage_pb × advanced_storage_pct / Σ storage_pb`, available: true },
  { id: 'network.egress', dimension: 'network', name: 'Egress bandwidth', unit: 'Gbps', direction: 'higher', scale: 'log', source: `${LEDGER}, Σ egress_gbps`, available: true },
  { id: 'network.egressPerRack', dimension: 'network', name: 'Egress bandwidth per designed rack', unit: 'Gbps/rack', direction: 'higher', scale: 'linear', source: `${LEDGER}, Σ egress_gbps / Σ racks_designed`, available: true },
  { id: 'network.hubMembership', dimension: 'network', name: '东数西算 hub and cluster membership', unit: 'level (0, 0.5, 1)', direction: 'higher', scale: 'linear', source: 'regions: national hubs and clusters (src/regions/groups.ts)', available: true },
  { id: 'model.services', dimension: 'model', name: 'Model services offered', unit: 'services', direction: 'higher', scale: 'log', source: 'marketplace: model services (not available yet)', available: false },
  { id: 'environment.pue', dimension: 'environment', name: 'Rack-weighted PUE', unit: 'PUE', direction: 'lower', scale: 'linear', source: `${LEDGER}, Σ PUE × racks_designed / Σ racks_designed (measured PUE, else design PUE)`, available: true },
  { id: 'environment.greenShare', dimension: 'environment', name: 'Green power share', unit: '%', direction: 'higher', scale: 'linear', source: `${LEDGER}, Σ annual_kwh × green_power_pct / Σ annual_kwh`, available: true },
  { id: 'environment.kwhPerRack', dimension: 'environment', name: 'Electricity per rack in use', unit: 'kWh/rack/year', direction: 'lower', scale: 'linear', source: `${LEDGER}, Σ annual_kwh / Σ racks_in_use`, available: true },
];

export type IndicatorId = string;

/** Dimension weights (sum 1) and, within each dimension, sub-indicator weights (sum 1). */
export interface IndexWeights {
  dimensions: Record<DimensionId, number>;
  indicators: Record<IndicatorId, number>;
}

export const DEFAULT_WEIGHTS: IndexWeights = {
  dimensions: { compute: 0.35, storage: 0.15, network: 0.15, model: 0.1, environment: 0.25 },
  indicators: {
    'compute.fp32Equivalent': 0.5,
    'compute.intelligentShare': 0.25,
    'compute.accelerators': 0.25,
    'storage.capacity': 0.6,
    'storage.advancedShare': 0.4,
    'network.egress': 0.4,
    'network.egressPerRack': 0.3,
    'network.hubMembership': 0.3,
    'model.services': 1,
    'environment.pue': 0.4,
    'environment.greenShare': 0.4,
    'environment.kwhPerRack': 0.2,
  },
};

/** The score every region gets for an indicator nobody can measure yet: it shifts all scores alike and moves no rank. */
export const NEUTRAL_SCORE = 50;

export const indicatorsOf = (dimension: DimensionId) => INDICATORS.filter((indicator) => indicator.dimension === dimension);
export const INDICATOR_IDS: readonly string[] = INDICATORS.map((indicator) => indicator.id);
export const WEIGHT_IDS: readonly string[] = [...DIMENSIONS, ...INDICATOR_IDS];
