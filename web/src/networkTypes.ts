/**
 * The network monitoring API (GET /api/v1/network/latency, /network/circles), as the web app reads it.
 * Units: `rtt…Ms` are round trips (as probes measure them); `oneWayMs` and the circles are one-way
 * (half the round trip), the convention of the national latency circles and of demand bounds.
 */
export type LatencyLevel = 'hub' | 'province' | 'city';
export type CircleKey = 'city' | 'province' | 'hub';
export type LatencyOrigin = 'probe' | 'demo';

export interface LatencyModel {
  routeFactor: number;
  fibreKmPerMs: number;
  /** Fixed one-way latency at each end. */
  endpointMs: number;
  method: string;
}

export interface LatencyNode {
  id: string;
  name: string;
  nameEn: string | null;
  lon: number | null;
  lat: number | null;
  cities: number;
}

export interface LatencyPair {
  a: string;
  b: string;
  rttMs: number;
  oneWayMs: number;
  minRttMs: number;
  maxRttMs: number;
  estimateRttMs: number;
  cityPairs: number;
  measuredPairs: number;
  basis: 'measured' | 'estimated' | 'mixed';
  origin: LatencyOrigin | null;
}

export interface LinkEnd {
  kind: 'facility' | 'city';
  id: string;
  name: string;
  computeId: string | null;
  cityCode: string | null;
}

export interface WorstLink {
  source: LinkEnd;
  target: LinkEnd;
  rttMs: number;
  estimateRttMs: number;
  excessRttMs: number;
  origin: LatencyOrigin;
  samples: number;
  measuredAt: string;
}

export interface NetworkLatency {
  level: LatencyLevel;
  region: string | null;
  model: LatencyModel;
  nodes: LatencyNode[];
  pairs: LatencyPair[];
  worstLinks: WorstLink[];
  measuredRows: number;
  newestMeasurement: string | null;
}

export interface CircleSummary {
  key: CircleKey;
  maxOneWayMs: number;
  radiusKm: number;
  facilities: number;
  racksDesigned: number;
  racksInUse: number;
  byBasis: { measured: number; derived: number; estimated: number };
}

export interface CircleFacility {
  id: string;
  computeId: string;
  name: string;
  regionCode: string;
  cityCode: string | null;
  lon: number;
  lat: number;
  racksDesigned: number;
  racksInUse: number;
  /** Half the round trip: what the circle is decided on. */
  oneWayMs: number;
  rttMs: number;
  basis: 'measured' | 'derived' | 'estimated';
  origin: LatencyOrigin | null;
  circle: CircleKey;
}

export interface NetworkCircles {
  city: { code: string; name: string; provinceCode: string; lon: number; lat: number };
  requested: string;
  model: LatencyModel;
  circles: CircleSummary[];
  facilities: CircleFacility[];
  total: number;
  truncated: boolean;
}

export const CIRCLE_KEYS: readonly CircleKey[] = ['city', 'province', 'hub'];
/** One colour per circle, shared by the heat-map's bands and the circle map's points. */
export const CIRCLE_COLORS: Record<CircleKey | 'beyond', string> = { city: '#15803d', province: '#2563eb', hub: '#f59e0b', beyond: '#dc2626' };
