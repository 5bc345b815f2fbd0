import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { Region } from '../types.ts';

const cache = new Map<string, Promise<Region | null>>();

/** GET /regions/{code} answers `{region, path, children}`; older builds answered the region itself. */
interface RegionWithPath {
  region: Region;
  path: Region[];
}

export function normaliseRegion(body: Region | RegionWithPath): Region {
  if ('region' in body && body.region) return { ...body.region, path: body.path };
  return body as Region;
}

/** One region (with its path), fetched once per page load and shared by every caller. */
export function fetchRegion(code: string): Promise<Region | null> {
  let pending = cache.get(code);
  if (!pending) {
    pending = api<Region | RegionWithPath>(`/regions/${encodeURIComponent(code)}`, { quiet: true })
      .then(normaliseRegion)
      .catch(() => null);
    cache.set(code, pending);
  }
  return pending;
}

/** "山西省 / 大同市 / 平城区" for a code, or the code itself until (or unless) it is known. */
export function regionLabel(region: Region | null, code: string): string {
  if (!region) return code;
  if (region.path && region.path.length > 0) return region.path.map((r) => r.name).join(' / ');
  return region.name;
}

export function useRegion(code: string | null | undefined): Region | null {
  const [region, setRegion] = useState<Region | null>(null);
  useEffect(() => {
    if (!code) {
      setRegion(null);
      return;
    }
    let active = true;
    void fetchRegion(code).then((r) => {
      if (active) setRegion(r);
    });
    return () => {
      active = false;
    };
  }, [code]);
  return region;
}
