/**
 * The named groups of 东数西算 (East Data, West Computing): 8 national hub nodes (国家枢纽节点)
 * and 10 national data-centre clusters (国家数据中心集群). Members are written as region names and
 * resolved to GB/T 2260 codes at run time, so the codes always agree with the region dataset.
 */
import { findRegionByNames, isWithin } from './dataset.ts';

export const REGION_GROUP_KINDS = ['hub', 'cluster'] as const;
export type RegionGroupKind = (typeof REGION_GROUP_KINDS)[number];

export interface RegionGroup {
  id: string;
  kind: RegionGroupKind;
  name: string;
  nameEn: string;
  hubId?: string; // the hub a cluster belongs to
  regionCodes: string[]; // provinces for a hub; cities or counties for a cluster
}

interface GroupDefinition {
  id: string;
  kind: RegionGroupKind;
  name: string;
  nameEn: string;
  hubId?: string;
  members: readonly (readonly string[])[]; // name paths, province first
}

// Hubs are drawn at province level: the plan names the provinces, and its clusters can lie outside
// the core metropolitan area (韶关 is in Guangdong but not in the Pearl River Delta).
// 粤港澳大湾区 also covers Hong Kong and Macao, which the GB/T region dataset does not hold.
const DEFINITIONS: readonly GroupDefinition[] = [
  { id: 'hub-jingjinji', kind: 'hub', name: '京津冀枢纽', nameEn: 'Beijing–Tianjin–Hebei hub', members: [['北京'], ['天津'], ['河北']] },
  { id: 'hub-changsanjiao', kind: 'hub', name: '长三角枢纽', nameEn: 'Yangtze River Delta hub', members: [['上海'], ['江苏'], ['浙江'], ['安徽']] },
  { id: 'hub-yuegangao', kind: 'hub', name: '粤港澳大湾区枢纽', nameEn: 'Guangdong–Hong Kong–Macao Greater Bay Area hub', members: [['广东']] },
  { id: 'hub-chengyu', kind: 'hub', name: '成渝枢纽', nameEn: 'Chengdu–Chongqing hub', members: [['四川'], ['重庆']] },
  { id: 'hub-neimenggu', kind: 'hub', name: '内蒙古枢纽', nameEn: 'Inner Mongolia hub', members: [['内蒙古']] },
  { id: 'hub-guizhou', kind: 'hub', name: '贵州枢纽', nameEn: 'Guizhou hub', members: [['贵州']] },
  { id: 'hub-gansu', kind: 'hub', name: '甘肃枢纽', nameEn: 'Gansu hub', members: [['甘肃']] },
  { id: 'hub-ningxia', kind: 'hub', name: '宁夏枢纽', nameEn: 'Ningxia hub', members: [['宁夏']] },

  { id: 'cluster-zhangjiakou', kind: 'cluster', hubId: 'hub-jingjinji', name: '张家口数据中心集群', nameEn: 'Zhangjiakou cluster', members: [['河北', '张家口']] },
  {
    id: 'cluster-changsanjiao-demo',
    kind: 'cluster',
    hubId: 'hub-changsanjiao',
    name: '长三角生态绿色一体化发展示范区数据中心集群',
    nameEn: 'Yangtze River Delta Ecological Green Integration Demonstration Zone cluster',
    members: [['上海', '青浦区'], ['江苏', '苏州', '吴江区'], ['浙江', '嘉兴', '嘉善县']],
  },
  { id: 'cluster-wuhu', kind: 'cluster', hubId: 'hub-changsanjiao', name: '芜湖数据中心集群', nameEn: 'Wuhu cluster', members: [['安徽', '芜湖']] },
  { id: 'cluster-shaoguan', kind: 'cluster', hubId: 'hub-yuegangao', name: '韶关数据中心集群', nameEn: 'Shaoguan cluster', members: [['广东', '韶关']] },
  { id: 'cluster-tianfu', kind: 'cluster', hubId: 'hub-chengyu', name: '天府数据中心集群', nameEn: 'Tianfu cluster', members: [['四川', '成都']] },
  { id: 'cluster-chongqing', kind: 'cluster', hubId: 'hub-chengyu', name: '重庆数据中心集群', nameEn: 'Chongqing cluster', members: [['重庆', '重庆市']] },
  { id: 'cluster-guian', kind: 'cluster', hubId: 'hub-guizhou', name: '贵安数据中心集群', nameEn: "Gui'an cluster", members: [['贵州', '贵阳'], ['贵州', '安顺']] },
  { id: 'cluster-helinger', kind: 'cluster', hubId: 'hub-neimenggu', name: '和林格尔数据中心集群', nameEn: 'Horinger cluster', members: [['内蒙古', '呼和浩特']] },
  { id: 'cluster-qingyang', kind: 'cluster', hubId: 'hub-gansu', name: '庆阳数据中心集群', nameEn: 'Qingyang cluster', members: [['甘肃', '庆阳']] },
  { id: 'cluster-zhongwei', kind: 'cluster', hubId: 'hub-ningxia', name: '中卫数据中心集群', nameEn: 'Zhongwei cluster', members: [['宁夏', '中卫']] },
];

function resolve(definition: GroupDefinition): RegionGroup {
  const regionCodes = definition.members.map((path) => {
    const region = findRegionByNames(path);
    // A failure here means the region dataset renamed a place: fix the name path above.
    if (!region) throw new Error(`region group ${definition.id}: no region named ${path.join(' / ')}`);
    return region.code;
  });
  const group: RegionGroup = { id: definition.id, kind: definition.kind, name: definition.name, nameEn: definition.nameEn, regionCodes };
  if (definition.hubId) group.hubId = definition.hubId;
  return group;
}

let groupsCache: RegionGroup[] | undefined;

/** The 8 hubs then the 10 clusters. Memoised and shared: do not mutate. */
export function regionGroups(): RegionGroup[] {
  groupsCache ??= DEFINITIONS.map(resolve);
  return groupsCache;
}

export function findRegionGroup(id: string): RegionGroup | undefined {
  return regionGroups().find((group) => group.id === id);
}

/** The hubs and clusters that contain `regionCode` (a county in 青浦 is in the cluster and the hub). */
export function groupsOf(regionCode: string): RegionGroup[] {
  return regionGroups().filter((group) => group.regionCodes.some((code) => isWithin(regionCode, code)));
}

/** Whether a region lies in any national hub; such regions get the stricter green targets. */
export function isInHub(regionCode: string): boolean {
  return groupsOf(regionCode).some((group) => group.kind === 'hub');
}
