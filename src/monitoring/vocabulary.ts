/**
 * The facility metric vocabulary (docs/monitoring.md) and the mapping of common exporter metrics
 * onto it. Pure: no I/O. Raw series are always kept; a mapped gauge additionally yields a series
 * under its vocabulary name with the same labels.
 */
export interface VocabularyMetric {
  name: string;
  unit: string;
  description: string;
}

export const VOCABULARY: readonly VocabularyMetric[] = [
  { name: 'rack_utilization', unit: 'ratio 0–1', description: 'racks in use / racks designed (上架率)' },
  { name: 'it_power_kw', unit: 'kW', description: 'IT load power of the facility' },
  { name: 'pue', unit: '1', description: 'power usage effectiveness: total facility power / IT power' },
  { name: 'cpu_utilization', unit: 'ratio 0–1', description: 'busy share of CPU time' },
  { name: 'accelerator_utilization', unit: 'ratio 0–1', description: 'busy share of an accelerator (GPU/NPU)' },
  { name: 'accelerators_healthy', unit: 'count', description: 'accelerators that report healthy' },
  { name: 'accelerators_total', unit: 'count', description: 'accelerators installed' },
  { name: 'availability', unit: 'ratio 0–1', description: 'share of targets up (1 up, 0 down per target)' },
  { name: 'egress_gbps', unit: 'Gbps', description: 'outbound traffic of the facility' },
];

export const VOCABULARY_NAMES: ReadonlySet<string> = new Set(VOCABULARY.map((m) => m.name));

export interface GaugeMapping {
  /** The vocabulary metric the exporter's gauge is copied to. */
  metric: string;
  /** Multiplied into the value (e.g. 0.01 turns a percentage into a ratio). */
  scale: number;
  source: string;
}

/** Exporter gauges copied onto the vocabulary at ingest. */
export const GAUGE_MAPPINGS: Readonly<Record<string, GaugeMapping>> = {
  DCGM_FI_DEV_GPU_UTIL: { metric: 'accelerator_utilization', scale: 0.01, source: 'NVIDIA DCGM exporter, percent' },
  npu_chip_info_utilization: { metric: 'accelerator_utilization', scale: 0.01, source: 'Huawei Ascend npu-exporter, percent' },
  up: { metric: 'availability', scale: 1, source: 'Prometheus scrape health of each target' },
};

export interface RateMapping {
  /** The vocabulary metric derived from the counter's rate. */
  metric: string;
  /** Labels summed over: the vocabulary series has the counter's labels without them (one per instance). */
  sumOver: readonly string[];
  formula: string;
}

/**
 * Exporter counters whose vocabulary value is a rate: kept raw, and derived when the 5 min rollup
 * folds them (src/monitoring/derived.ts, docs/monitoring.md §4).
 */
export const RATE_MAPPINGS: Readonly<Record<string, RateMapping>> = {
  node_cpu_seconds_total: { metric: 'cpu_utilization', sumOver: ['cpu', 'mode'], formula: '1 − Δ(idle + iowait) / Δ(all modes), summed over CPUs, per instance' },
  node_network_transmit_bytes_total: { metric: 'egress_gbps', sumOver: ['device'], formula: '8 × Σ Δbytes/Δt / 10⁹ over the uplink devices, per instance' },
};

export function vocabularyOf(metric: string): GaugeMapping | undefined {
  return Object.hasOwn(GAUGE_MAPPINGS, metric) ? GAUGE_MAPPINGS[metric] : undefined;
}
