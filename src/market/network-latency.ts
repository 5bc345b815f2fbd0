/**
 * The matcher's measured latency, from monitoring's latency matrix (src/monitoring/network): for a
 * demand's origin city and an offer's facility, the measured city ↔ facility value, else one
 * derived from measured legs; where neither exists the source answers null and the matcher uses
 * the geographic estimate (src/network-model.ts). The matrix holds round trips as probes measure
 * them; demand bounds are one-way (docs/methods/ranking.md §4), so the source answers half the
 * round trip (oneWayOfRtt).
 */
import type { Deps } from '../deps.ts';
import { type Basis, cityToFacility } from '../monitoring/network/matrix.ts';
import { cityNodes, loadNetworkSnapshot, type NetworkSnapshot } from '../monitoring/network/service.ts';
import { oneWayOfRtt } from '../network-model.ts';
import { regionIndex } from '../regions/dataset.ts';
import type { LatencySource } from './latency.ts';
import type { Offer } from './types.ts';

export interface MeasuredLatency {
  source: LatencySource;
  /** What stood behind each offer's latency the source was asked for: measured, derived, or estimated (null answered). */
  basisOf: Map<string, Basis>;
}

/**
 * A latency source over the current matrix (monitoring's snapshot, reloaded when the matrix or the
 * facilities in operation change); when the matrix cannot be read, one that always defers to the
 * estimate.
 */
export async function measuredLatency(deps: Deps): Promise<MeasuredLatency> {
  const basisOf = new Map<string, Basis>();
  let snapshot: NetworkSnapshot;
  try {
    snapshot = await loadNetworkSnapshot(deps);
  } catch (error) {
    deps.log.warn({ err: error }, 'latency matrix unavailable; matching uses the geographic estimate');
    return { source: () => null, basisOf };
  }
  const cities = cityNodes();
  const source: LatencySource = (fromRegionCode: string, offer: Offer) => {
    const region = regionIndex().get(fromRegionCode);
    const city = region?.cityCode ? cities.get(region.cityCode) : undefined;
    const facility = snapshot.facilityById.get(offer.facilityId);
    if (!city || !facility) {
      basisOf.set(offer.id, 'estimated');
      return null;
    }
    const value = cityToFacility(snapshot.index, city, facility, cities);
    basisOf.set(offer.id, value.basis);
    return value.basis === 'estimated' ? null : oneWayOfRtt(value.rttMs);
  };
  return { source, basisOf };
}
