/**
 * Network latency between a demand's origin and an offer's facility. Measured figures (monitoring's
 * probes) are preferred when a source has them; otherwise a geographic estimate, so that a demand
 * like "within 5 ms of 大同" can be matched before anyone has measured anything.
 */
import { findRegion } from '../regions/dataset.ts';
import type { Offer } from './types.ts';

export type LonLat = readonly [number, number];

/** Light in fibre covers about 200 km per ms (refractive index ≈ 1.5). */
export const FIBRE_KM_PER_MS = 200;
/** Fibre follows roads and rail, not great circles: routes run ~1.5× the straight distance. */
export const ROUTE_FACTOR = 1.5;
/** Switching, serialisation and the last kilometres at each end. */
export const ENDPOINT_MS = 0.3;

const EARTH_RADIUS_KM = 6371.0088;
const RADIANS = Math.PI / 180;

/** Haversine distance, km. Takes plain numbers so the matcher's hot loop allocates nothing. */
export function greatCircleKmBetween(fromLon: number, fromLat: number, toLon: number, toLat: number): number {
  const dLat = (toLat - fromLat) * RADIANS;
  const dLon = (toLon - fromLon) * RADIANS;
  const sinLat = Math.sin(dLat / 2);
  const sinLon = Math.sin(dLon / 2);
  const a = sinLat * sinLat + Math.cos(fromLat * RADIANS) * Math.cos(toLat * RADIANS) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function greatCircleKm(from: LonLat, to: LonLat): number {
  return greatCircleKmBetween(from[0], from[1], to[0], to[1]);
}

export function estimateLatencyMsBetween(fromLon: number, fromLat: number, toLon: number, toLat: number): number {
  return (greatCircleKmBetween(fromLon, fromLat, toLon, toLat) * ROUTE_FACTOR) / FIBRE_KM_PER_MS + 2 * ENDPOINT_MS;
}

/**
 * One-way latency estimate, ms: great-circle km × route factor / fibre speed + 0.3 ms at each end.
 * One-way because the national latency circles (1 ms city, 5 ms province, 20 ms hub) are quoted so;
 * a round trip is twice this.
 */
export function estimateLatencyMs(from: LonLat, to: LonLat): number {
  return estimateLatencyMsBetween(from[0], from[1], to[0], to[1]);
}

/**
 * A measured one-way latency from a region to an offer's facility, or null when none is known.
 * Monitoring plugs its probe data in here; the matcher falls back to the estimate on null.
 */
export type LatencySource = (fromRegionCode: string, offer: Offer) => number | null;

/** The representative point of a region (from the regions dataset), or null when it has none. */
export function regionPoint(regionCode: string): LonLat | null {
  const region = findRegion(regionCode);
  return region && region.lon !== null && region.lat !== null ? [region.lon, region.lat] : null;
}
