import { describe, expect, it } from 'vitest';
import { findRegion } from './dataset.ts';
import { findRegionGroup, groupsOf, isInHub, regionGroups } from './groups.ts';

describe('national hubs and clusters', () => {
  it('has 8 hubs and 10 clusters, each cluster in an existing hub', () => {
    const groups = regionGroups();
    expect(groups.filter((g) => g.kind === 'hub')).toHaveLength(8);
    const clusters = groups.filter((g) => g.kind === 'cluster');
    expect(clusters).toHaveLength(10);
    for (const cluster of clusters) expect(findRegionGroup(cluster.hubId ?? '')?.kind, cluster.id).toBe('hub');
    expect(new Set(groups.map((g) => g.id)).size).toBe(18);
  });

  it('resolves members to existing regions: provinces for hubs, cities or counties for clusters', () => {
    for (const group of regionGroups()) {
      expect(group.regionCodes.length).toBeGreaterThan(0);
      for (const code of group.regionCodes) {
        const level = findRegion(code)?.level;
        expect(level, `${group.id} ${code}`).toBe(group.kind === 'hub' ? 'province' : level === 'county' ? 'county' : 'city');
      }
    }
    expect(findRegionGroup('cluster-zhangjiakou')?.regionCodes).toEqual(['130700']);
    expect(findRegionGroup('cluster-guian')?.regionCodes).toEqual(['520100', '520400']);
    expect(findRegionGroup('cluster-changsanjiao-demo')?.regionCodes).toEqual(['310118', '320509', '330421']);
    expect(findRegionGroup('hub-jingjinji')?.regionCodes).toEqual(['110000', '120000', '130000']);
  });

  it('finds the groups that contain a region', () => {
    expect(groupsOf('130722').map((g) => g.id)).toEqual(['hub-jingjinji', 'cluster-zhangjiakou']); // 张北县
    expect(groupsOf('310118').map((g) => g.id)).toEqual(['hub-changsanjiao', 'cluster-changsanjiao-demo']);
    expect(groupsOf('310100').map((g) => g.id)).toEqual(['hub-changsanjiao']); // 上海 as a whole is not the cluster
    expect(groupsOf('621002').map((g) => g.id)).toEqual(['hub-gansu', 'cluster-qingyang']);
    expect(groupsOf('140200')).toEqual([]); // 大同 is in no national hub
    expect(isInHub('440200')).toBe(true);
    expect(isInHub('140200')).toBe(false);
  });

  it('is memoised', () => {
    expect(regionGroups()).toBe(regionGroups());
  });
});
