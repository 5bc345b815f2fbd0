/**
 * Demo organisations: the operators that own facilities (suppliers) and a few market participants.
 * Company names are those of well-known operators; every facility, figure and contact attached to
 * them in the demo is synthetic.
 */
import type { FacilityKind } from '../ledger/types.ts';

export const MARKET_ROLES = ['supplier', 'demander', 'provider'] as const;
export type MarketRole = (typeof MARKET_ROLES)[number];

export interface DemoOrg {
  key: string;
  name: string;
  kind: 'enterprise';
  marketRoles: MarketRole[];
}

type BuildKind = Exclude<FacilityKind, 'supercomputing'>;

export interface Operator {
  key: string;
  name: string;
  brand: string; // how the operator appears in facility names: 中国移动(庆阳)智算中心
  roles: MarketRole[];
  provinces: readonly string[] | 'all'; // short names
  cities?: readonly string[]; // when set, only these cities (short names)
  weight: Readonly<Record<BuildKind, number>>;
}

const S: MarketRole[] = ['supplier'];
const SP: MarketRole[] = ['supplier', 'provider'];
const w = (general: number, intelligent: number, edge = 0): Record<BuildKind, number> => ({ general, intelligent, edge });

// prettier-ignore
export const OPERATORS: readonly Operator[] = [
  { key: 'china-mobile', name: '中国移动通信集团有限公司', brand: '中国移动', roles: SP, provinces: 'all', weight: w(5, 4, 6) },
  { key: 'china-telecom', name: '中国电信集团有限公司', brand: '中国电信', roles: SP, provinces: 'all', weight: w(5, 4, 6) },
  { key: 'china-unicom', name: '中国联合网络通信集团有限公司', brand: '中国联通', roles: SP, provinces: 'all', weight: w(4, 3, 5) },
  { key: 'china-broadnet', name: '中国广电网络股份有限公司', brand: '中国广电', roles: S, provinces: 'all', weight: w(0.4, 0.2, 1) },
  { key: 'chindata', name: '秦淮数据集团', brand: '秦淮数据', roles: S, provinces: ['北京', '河北', '山西', '内蒙古'], weight: w(3, 1.5) },
  { key: 'gds', name: '万国数据服务有限公司', brand: '万国数据', roles: S, provinces: ['北京', '河北', '上海', '江苏', '浙江', '广东', '四川', '内蒙古'], weight: w(2.5, 1) },
  { key: 'vnet', name: '世纪互联数据中心有限公司', brand: '世纪互联', roles: S, provinces: ['北京', '河北', '上海', '江苏', '广东', '湖北'], weight: w(2, 1) },
  { key: 'sinnet', name: '北京光环新网科技股份有限公司', brand: '光环新网', roles: S, provinces: ['北京', '天津', '河北', '上海'], weight: w(1.5, 0.5) },
  { key: 'runze', name: '润泽智算科技集团股份有限公司', brand: '润泽科技', roles: S, provinces: ['河北', '安徽', '广东', '浙江', '甘肃', '重庆'], weight: w(2, 2) },
  { key: 'athub', name: '上海数据港股份有限公司', brand: '数据港', roles: S, provinces: ['上海', '河北', '浙江', '广东'], weight: w(1.5, 0.5) },
  { key: 'ofidc', name: '广东奥飞数据科技股份有限公司', brand: '奥飞数据', roles: S, provinces: ['广东', '广西', '北京', '河北', '海南'], weight: w(1.5, 0.5) },
  { key: 'baosight', name: '上海宝信软件股份有限公司', brand: '宝信', roles: S, provinces: ['上海', '江苏', '湖北', '河北'], weight: w(1.5, 0.5) },
  { key: 'kehua', name: '科华数据股份有限公司', brand: '科华数据', roles: S, provinces: ['福建', '北京', '广东', '上海'], weight: w(1, 0.3) },
  { key: 'cloudsail', name: '上海云赛智联信息科技有限公司', brand: '云赛智联', roles: S, provinces: ['上海'], weight: w(1.5, 0.8) },
  { key: 'cndata', name: '中金数据集团有限公司', brand: '中金数据', roles: S, provinces: ['北京', '河北', '江苏', '四川', '湖北'], weight: w(1, 0.3) },
  { key: 'glp', name: '普洛斯数据中心', brand: '普洛斯', roles: S, provinces: ['北京', '河北', '江苏', '上海', '广东'], weight: w(1, 0.3) },
  { key: 'alibaba-cloud', name: '阿里云计算有限公司', brand: '阿里云', roles: SP, provinces: ['河北', '内蒙古', '浙江', '广东', '江苏', '贵州', '四川'], weight: w(2, 2.5, 1) },
  { key: 'tencent-cloud', name: '腾讯云计算(北京)有限责任公司', brand: '腾讯云', roles: SP, provinces: ['河北', '天津', '贵州', '广东', '上海', '重庆'], weight: w(2, 2, 1) },
  { key: 'huawei-cloud', name: '华为云计算技术有限公司', brand: '华为云', roles: SP, provinces: ['贵州', '内蒙古', '安徽', '广东'], weight: w(1.5, 2.5) },
  { key: 'baidu-cloud', name: '百度智能云计算有限公司', brand: '百度智能云', roles: SP, provinces: ['山西', '河北', '江苏', '北京'], weight: w(1.5, 2) },
  { key: 'volcengine', name: '北京火山引擎科技有限公司', brand: '火山引擎', roles: SP, provinces: ['河北', '内蒙古', '甘肃', '宁夏', '山西', '广东'], weight: w(1, 2.5) },
  { key: 'jd-cloud', name: '京东云计算有限公司', brand: '京东云', roles: SP, provinces: ['江苏', '北京', '河北', '广东'], weight: w(1, 0.8) },
  { key: 'kuaishou', name: '北京快手科技有限公司', brand: '快手', roles: S, provinces: ['内蒙古'], cities: ['乌兰察布'], weight: w(1, 1) },
  { key: 'sensetime', name: '上海商汤智能科技有限公司', brand: '商汤', roles: SP, provinces: ['上海'], weight: w(0, 2) },
  { key: 'cec-cloud', name: '中电云计算技术有限公司', brand: '中国电子云', roles: SP, provinces: 'all', weight: w(0.6, 0.8) },
  { key: 'sugon', name: '曙光信息产业股份有限公司', brand: '中科曙光', roles: SP, provinces: 'all', weight: w(0.6, 1.2) },
  { key: 'inspur', name: '浪潮电子信息产业股份有限公司', brand: '浪潮', roles: SP, provinces: 'all', weight: w(0.6, 1.2) },
  { key: 'cloud-guizhou', name: '云上贵州大数据产业发展有限公司', brand: '云上贵州', roles: S, provinces: ['贵州'], weight: w(3, 3) },
  { key: 'nx-westcloud', name: '宁夏西部云基地科技有限公司', brand: '西部云基地', roles: S, provinces: ['宁夏'], weight: w(3, 3) },
  { key: 'zhongwei-cloud', name: '中卫云数科技有限公司', brand: '中卫云数', roles: S, provinces: ['宁夏'], cities: ['中卫'], weight: w(2, 3) },
  { key: 'qingyang-compute', name: '庆阳东数西算产业发展有限公司', brand: '庆阳数算', roles: S, provinces: ['甘肃'], cities: ['庆阳'], weight: w(2, 4) },
  { key: 'horinger-digital', name: '和林格尔新区数字产业发展有限公司', brand: '和林格尔新区', roles: S, provinces: ['内蒙古'], cities: ['呼和浩特'], weight: w(2, 4) },
  { key: 'zhangjiakou-data', name: '张家口数据产业投资有限公司', brand: '张家口数投', roles: S, provinces: ['河北'], cities: ['张家口'], weight: w(2, 2) },
  { key: 'wuhu-data', name: '芜湖数据产业集团有限公司', brand: '芜湖数产', roles: S, provinces: ['安徽'], cities: ['芜湖'], weight: w(2, 3) },
  { key: 'shaoguan-compute', name: '韶关数据中心集群建设运营有限公司', brand: '韶关数算', roles: S, provinces: ['广东'], cities: ['韶关'], weight: w(2, 3) },
  { key: 'tianfu-compute', name: '天府算力科技有限公司', brand: '天府算力', roles: S, provinces: ['四川'], weight: w(2, 3) },
  { key: 'liangjiang-cloud', name: '重庆两江云算科技有限公司', brand: '两江云算', roles: S, provinces: ['重庆'], weight: w(2, 2) },
  { key: 'shanxi-cloud', name: '山西云时代技术有限公司', brand: '云时代', roles: S, provinces: ['山西'], weight: w(2, 2) },
  { key: 'jiangsu-future', name: '江苏未来网络集团有限公司', brand: '未来网络', roles: S, provinces: ['江苏'], weight: w(1, 1) },
  { key: 'datong-supplier', name: '大同云数智算科技有限公司', brand: '大同云数', roles: SP, provinces: ['山西'], cities: ['大同'], weight: w(0, 0) },
];

const MARKET_PARTICIPANTS: readonly DemoOrg[] = [
  { key: 'demo-demander', name: '晋智未来人工智能科技有限公司', kind: 'enterprise', marketRoles: ['demander'] },
  { key: 'demo-provider', name: '云启模型服务有限公司', kind: 'enterprise', marketRoles: ['provider'] },
  { key: 'demander-autodrive', name: '驭途自动驾驶科技有限公司', kind: 'enterprise', marketRoles: ['demander'] },
  { key: 'demander-biocompute', name: '华创生物计算有限公司', kind: 'enterprise', marketRoles: ['demander'] },
  { key: 'provider-finetune', name: '启明精调智能科技有限公司', kind: 'enterprise', marketRoles: ['provider', 'demander'] },
];

export function demoOrganizations(): DemoOrg[] {
  return [
    ...OPERATORS.map((op) => ({ key: op.key, name: op.name, kind: 'enterprise' as const, marketRoles: [...op.roles] })),
    ...MARKET_PARTICIPANTS.map((org) => ({ ...org, marketRoles: [...org.marketRoles] })),
  ];
}

export function findOperator(key: string): Operator {
  const operator = OPERATORS.find((op) => op.key === key);
  if (!operator) throw new Error(`unknown demo operator ${key}`);
  return operator;
}

/**
 * Operators that build facilities of `kind` in a city. Local operators weigh three times their
 * listed weight in their own places: they are why the cluster cities look different from each other.
 */
export function operatorsFor(kind: BuildKind, provinceShort: string, cityShort: string): { operator: Operator; weight: number }[] {
  const candidates: { operator: Operator; weight: number }[] = [];
  for (const operator of OPERATORS) {
    const base = operator.weight[kind];
    if (base <= 0) continue;
    if (operator.provinces !== 'all' && !operator.provinces.includes(provinceShort)) continue;
    if (operator.cities && !operator.cities.includes(cityShort)) continue;
    const local = operator.provinces !== 'all' && operator.provinces.length <= 2;
    candidates.push({ operator, weight: local ? base * 3 : base });
  }
  return candidates;
}
