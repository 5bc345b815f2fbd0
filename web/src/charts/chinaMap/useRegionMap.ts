import { useEffect, useState } from 'react';
import { isProvinceCode } from './geo.ts';
import { loadChinaMap, loadProvinceMap, type LoadedMap } from './loadMap.ts';

export { isProvinceCode };

/**
 * The map of a region: the country for null or 000000, a province's cities for a province code,
 * none (null) below. undefined while a province's shapes load; null when they fail to load.
 */
export function useRegionMap(region: string | null): LoadedMap | null | undefined {
  const key = region === null || region === '000000' ? 'china' : region;
  const [state, setState] = useState<{ key: string; map: LoadedMap | null } | null>(null);
  useEffect(() => {
    if (key === 'china') {
      setState({ key, map: loadChinaMap() });
      return;
    }
    if (!isProvinceCode(key)) {
      setState({ key, map: null });
      return;
    }
    let active = true;
    loadProvinceMap(key).then(
      (map) => active && setState({ key, map }),
      () => active && setState({ key, map: null }),
    );
    return () => {
      active = false;
    };
  }, [key]);
  return state?.key === key ? state.map : undefined;
}
