import { Tooltip } from 'antd';
import { regionLabel, useRegion } from '../hooks/useRegionName.ts';

export interface RegionNameProps {
  code: string | null | undefined;
  /** Shown until the region is known (e.g. the server's regionName), else the code. */
  fallback?: string | null;
  /** Show only the last N levels (e.g. 2: 大同市 / 平城区), with the full path in a tooltip. */
  tail?: number;
}

/** A region code shown as its name path (山西省 / 大同市 / 平城区). */
export function RegionName({ code, fallback, tail }: RegionNameProps) {
  const region = useRegion(code);
  if (!code) return <>{fallback || '—'}</>;
  if (!region) return <>{fallback || code}</>;
  const full = regionLabel(region, code);
  if (!tail || !region.path || region.path.length <= tail) return <>{full}</>;
  const short = region.path
    .slice(-tail)
    .map((r) => r.name)
    .join(' / ');
  return (
    <Tooltip title={full}>
      <span>{short}</span>
    </Tooltip>
  );
}
