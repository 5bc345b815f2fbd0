/**
 * The one geographic latency model of the platform (docs/methods/latency.md §2), shared by the
 * matching engine (src/market) and network monitoring (src/monitoring/network), and the latency
 * circles of 东数西算. Pure: no I/O.
 *
 * Convention: latency bounds and circles are ONE-WAY (单向时延), as the national policy quotes them
 * (城市内 1 ms、省内 5 ms、枢纽间 20 ms). Probes measure round trips (TCP connect RTT); the one-way
 * figure of a measured round trip is half of it, and the round-trip estimate is twice the one-way one.
 *
 *   oneWay(d) = 2 × endpointMs + d × routeFactor / fibreKmPerMs      rtt(d) = 2 × oneWay(d)
 */
import type { LonLat } from './regions/coordinates.ts';

export type { LonLat };

export const LATENCY_MODEL = {
  /** Fibre follows roads and rail, not great circles: path length / great-circle distance. */
  routeFactor: 1.5,
  /** Light in fibre covers about 200 km per ms (refractive index ≈ 1.5). */
  fibreKmPerMs: 200,
  /** One way, at each end: switching, serialisation, the access network and the last kilometres. */
  endpointMs: 0.3,
  /** Mean Earth radius, km (haversine). */
  earthRadiusKm: 6371.0088,
} as const;

export const FIBRE_KM_PER_MS = LATENCY_MODEL.fibreKmPerMs;
export const ROUTE_FACTOR = LATENCY_MODEL.routeFactor;
export const ENDPOINT_MS = LATENCY_MODEL.endpointMs;
/** The fixed part of a one-way estimate: both ends. */
export const ONE_WAY_OVERHEAD_MS = 2 * ENDPOINT_MS;
/** The fixed part of a round-trip estimate: both ends, both ways. */
export const RTT_OVERHEAD_MS = 2 * ONE_WAY_OVERHEAD_MS;

const RADIANS = Math.PI / 180;

/** Haversine distance, km. Takes plain numbers so the matcher's hot loop allocates nothing. */
export function greatCircleKmBetween(fromLon: number, fromLat: number, toLon: number, toLat: number): number {
  const dLat = (toLat - fromLat) * RADIANS;
  const dLon = (toLon - fromLon) * RADIANS;
  const sinLat = Math.sin(dLat / 2);
  const sinLon = Math.sin(dLon / 2);
  const a = sinLat * sinLat + Math.cos(fromLat * RADIANS) * Math.cos(toLat * RADIANS) * sinLon * sinLon;
  return 2 * LATENCY_MODEL.earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function greatCircleKm(from: LonLat, to: LonLat): number {
  return greatCircleKmBetween(from[0], from[1], to[0], to[1]);
}

/** The one-way estimate in ms over `km` of great-circle distance. */
export function estimateOneWayMsFromKm(km: number): number {
  return ONE_WAY_OVERHEAD_MS + (Math.max(0, km) * ROUTE_FACTOR) / FIBRE_KM_PER_MS;
}

export function estimateOneWayMsBetween(fromLon: number, fromLat: number, toLon: number, toLat: number): number {
  return estimateOneWayMsFromKm(greatCircleKmBetween(fromLon, fromLat, toLon, toLat));
}

/** One-way latency estimate, ms: great-circle km × 1.5 / 200 + 0.3 ms at each end. */
export function estimateOneWayMs(from: LonLat, to: LonLat): number {
  return estimateOneWayMsBetween(from[0], from[1], to[0], to[1]);
}

/** Round-trip estimate, ms: twice the one-way estimate (what a TCP connect probe would measure). */
export function estimateRttMs(from: LonLat, to: LonLat): number {
  return 2 * estimateOneWayMs(from, to);
}

/** The one-way figure of a measured round trip. */
export const oneWayOfRtt = (rttMs: number) => rttMs / 2;

/** The great-circle radius a one-way latency of `ms` reaches under the model (the inverse of estimateOneWayMsFromKm). */
export function radiusKmOfOneWay(ms: number): number {
  return Math.max(0, ((ms - ONE_WAY_OVERHEAD_MS) * FIBRE_KM_PER_MS) / ROUTE_FACTOR);
}

/** The latency circles of 东数西算 (DESIGN.md §5), one-way: city 1 ms, province 5 ms, national hub 20 ms. */
export const LATENCY_CIRCLES = [
  { key: 'city', maxOneWayMs: 1 },
  { key: 'province', maxOneWayMs: 5 },
  { key: 'hub', maxOneWayMs: 20 },
] as const;
export type CircleKey = (typeof LATENCY_CIRCLES)[number]['key'];

/** The smallest circle that holds a one-way latency of `oneWayMs`, or null beyond the 20 ms circle. */
export function circleOfOneWay(oneWayMs: number): CircleKey | null {
  for (const circle of LATENCY_CIRCLES) if (oneWayMs <= circle.maxOneWayMs) return circle.key;
  return null;
}
