/**
 * Network latency between a demand's origin and an offer's facility, ONE-WAY (the convention of
 * demand bounds and of the national latency circles, docs/methods/ranking.md §4). Measured figures
 * (monitoring's probes, src/market/network-latency.ts) are preferred when a source has them;
 * otherwise the platform's geographic estimate (src/network-model.ts), so that a demand like
 * "within 5 ms of 大同" can be matched before anyone has measured anything.
 */
import type { LonLat } from '../network-model.ts';
import { findRegion } from '../regions/dataset.ts';
import type { Offer } from './types.ts';

export type { LonLat };

/**
 * A measured one-way latency from a region to an offer's facility, or null when none is known.
 * Monitoring plugs its probe data in here (half the measured round trip); the matcher falls back to
 * the estimate on null.
 */
export type LatencySource = (fromRegionCode: string, offer: Offer) => number | null;

/** The representative point of a region (from the regions dataset), or null when it has none. */
export function regionPoint(regionCode: string): LonLat | null {
  const region = findRegion(regionCode);
  return region && region.lon !== null && region.lat !== null ? [region.lon, region.lat] : null;
}
