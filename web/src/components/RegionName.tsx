import { regionLabel, useRegion } from '../hooks/useRegionName.ts';

/** A region code shown as its name path (山西省 / 大同市), falling back to the code. */
export function RegionName({ code, name }: { code: string | null | undefined; name?: string | null }) {
  const region = useRegion(name ? null : code);
  if (name) return <>{name}</>;
  if (!code) return <>—</>;
  return <>{regionLabel(region, code)}</>;
}
