/**
 * The shape of the demo nation: where the racks are, how hot it is, how green the power. Figures are
 * public totals (docs: DOMAIN.md) spread by our estimates; places are names, resolved to GB/T codes
 * at run time.
 */

/** National designed standard racks, all statuses (mid-2025: ≈ 1,085万). */
export const NATIONAL_RACKS = 10_850_000;

/** Shanxi: ≈ 101.2万 racks designed, in use or under construction. */
export const SHANXI_RACKS = 1_012_000;

/** 大同: more than 32.6万 racks built, 90% in use, 2.5万 P (FP16) under construction, 43亿 kWh last year. */
export const DATONG = {
  facilities: 60,
  builtRacks: 327_000,
  underConstructionRacks: 10_000,
  utilisation: 0.9,
  underConstructionPflops: 25_000,
  annualKwh: 4.3e9,
} as const;

/**
 * Relative rack stock per province (万 racks, est.), scaled so all provinces together give
 * NATIONAL_RACKS. Shanxi is set by SHANXI_RACKS and not scaled. Hub provinces hold about two thirds.
 */
export const PROVINCE_RACK_WEIGHTS: Readonly<Record<string, number>> = {
  北京: 42, 天津: 24, 河北: 150, 内蒙古: 85, 辽宁: 22, 吉林: 10, 黑龙江: 12, 上海: 58, 江苏: 82,
  浙江: 58, 安徽: 36, 福建: 20, 江西: 12, 山东: 48, 河南: 30, 湖北: 30, 湖南: 22, 广东: 112,
  广西: 12, 海南: 5, 重庆: 22, 四川: 36, 贵州: 56, 云南: 10, 西藏: 2, 陕西: 18, 甘肃: 26, 青海: 7,
  宁夏: 32, 新疆: 14,
};

/**
 * Share of a province's facilities by city (short names, est.); `rest` is spread over the other
 * cities. Cluster cities and capitals dominate, as the 东数西算 plan intends.
 */
export const CITY_WEIGHTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  河北: { 张家口: 0.42, 廊坊: 0.22, 石家庄: 0.08, 保定: 0.06, 承德: 0.04, rest: 0.18 },
  山西: { 太原: 0.26, 阳泉: 0.16, 晋中: 0.12, 吕梁: 0.09, 长治: 0.08, 朔州: 0.08, rest: 0.21 },
  内蒙古: { 呼和浩特: 0.45, 乌兰察布: 0.28, 包头: 0.08, 鄂尔多斯: 0.07, rest: 0.12 },
  辽宁: { 沈阳: 0.35, 大连: 0.3, rest: 0.35 },
  吉林: { 长春: 0.6, rest: 0.4 },
  黑龙江: { 哈尔滨: 0.6, 大庆: 0.15, rest: 0.25 },
  江苏: { 苏州: 0.28, 南京: 0.2, 无锡: 0.12, 南通: 0.08, 常州: 0.06, rest: 0.26 },
  浙江: { 杭州: 0.35, 嘉兴: 0.14, 宁波: 0.12, 湖州: 0.07, rest: 0.32 },
  安徽: { 芜湖: 0.42, 合肥: 0.3, rest: 0.28 },
  福建: { 福州: 0.4, 厦门: 0.25, rest: 0.35 },
  江西: { 南昌: 0.55, rest: 0.45 },
  山东: { 济南: 0.3, 青岛: 0.25, 枣庄: 0.05, rest: 0.4 },
  河南: { 郑州: 0.5, rest: 0.5 },
  湖北: { 武汉: 0.55, 宜昌: 0.1, rest: 0.35 },
  湖南: { 长沙: 0.5, rest: 0.5 },
  广东: { 广州: 0.24, 深圳: 0.18, 韶关: 0.18, 东莞: 0.08, 佛山: 0.07, 惠州: 0.05, 河源: 0.04, 清远: 0.04, rest: 0.12 },
  广西: { 南宁: 0.55, rest: 0.45 },
  海南: { 海口: 0.55, 三亚: 0.25, rest: 0.2 },
  重庆: { 重庆: 0.92, rest: 0.08 },
  四川: { 成都: 0.7, 雅安: 0.06, rest: 0.24 },
  贵州: { 贵阳: 0.48, 安顺: 0.27, rest: 0.25 },
  云南: { 昆明: 0.6, rest: 0.4 },
  西藏: { 拉萨: 0.8, rest: 0.2 },
  陕西: { 西安: 0.65, 咸阳: 0.12, rest: 0.23 },
  甘肃: { 庆阳: 0.5, 兰州: 0.25, rest: 0.25 },
  青海: { 西宁: 0.6, 海南: 0.2, rest: 0.2 },
  宁夏: { 中卫: 0.6, 银川: 0.3, rest: 0.1 },
  新疆: { 乌鲁木齐: 0.45, 克拉玛依: 0.25, 哈密: 0.1, rest: 0.25 },
};

/** Cities that hold no data centres in the demo (island prefecture). */
export const EXCLUDED_CITIES: ReadonlySet<string> = new Set(['三沙市']);

/** Western cluster cities: big new intelligent centres, rack utilisation below 50%. */
export const WESTERN_CLUSTER_CITIES: ReadonlySet<string> = new Set(['庆阳', '中卫', '呼和浩特', '贵阳', '安顺']);

/** Eastern cluster cities: newer than the metros but well used. */
export const EASTERN_CLUSTER_CITIES: ReadonlySet<string> = new Set(['张家口', '芜湖', '韶关', '成都', '重庆']);

/** Metropolitan cities where demand is close and racks fill up. */
export const METRO_CITIES: ReadonlySet<string> = new Set([
  '北京', '上海', '天津', '广州', '深圳', '杭州', '南京', '苏州', '无锡', '武汉', '廊坊', '东莞', '佛山', '宁波',
]);

/** Cool, dry provinces (free cooling for much of the year): lower design PUE. */
export const COOL_PROVINCES: ReadonlySet<string> = new Set([
  '内蒙古', '甘肃', '宁夏', '青海', '新疆', '西藏', '黑龙江', '吉林', '辽宁', '河北', '山西',
]);

/** Hot, humid provinces: higher design PUE. */
export const HOT_PROVINCES: ReadonlySet<string> = new Set(['广东', '广西', '海南', '福建', '江西', '湖南']);

/** Provinces rich in wind, solar or hydro power: higher green power share. */
export const GREEN_PROVINCES: ReadonlySet<string> = new Set([
  '内蒙古', '甘肃', '宁夏', '青海', '新疆', '西藏', '贵州', '四川', '云南',
]);

/** Provinces whose facilities may be up to 30,000 racks (hub provinces and Shanxi); elsewhere 15,000. */
export const LARGE_CAMPUS_PROVINCES: ReadonlySet<string> = new Set([
  '北京', '天津', '河北', '上海', '江苏', '浙江', '安徽', '广东', '四川', '重庆', '内蒙古', '贵州', '甘肃', '宁夏', '山西',
]);

export interface SupercomputingCentre {
  name: string;
  path: readonly string[]; // province, city (and county) names
  fp64Tflops: number; // peak, est. from public descriptions of the main systems
  racks: number;
}

/** National supercomputing centres (国家超级计算中心) and two large provincial ones. */
export const SUPERCOMPUTING_CENTRES: readonly SupercomputingCentre[] = [
  { name: '国家超级计算天津中心', path: ['天津', '滨海新区'], fp64Tflops: 200_000, racks: 4_000 },
  { name: '国家超级计算无锡中心', path: ['江苏', '无锡', '滨湖区'], fp64Tflops: 125_000, racks: 3_200 },
  { name: '国家超级计算广州中心', path: ['广东', '广州', '番禺区'], fp64Tflops: 100_000, racks: 3_000 },
  { name: '国家超级计算长沙中心', path: ['湖南', '长沙', '岳麓区'], fp64Tflops: 30_000, racks: 1_200 },
  { name: '国家超级计算济南中心', path: ['山东', '济南', '历城区'], fp64Tflops: 60_000, racks: 2_000 },
  { name: '国家超级计算深圳中心', path: ['广东', '深圳', '南山区'], fp64Tflops: 80_000, racks: 2_500 },
  { name: '国家超级计算成都中心', path: ['四川', '成都', '双流区'], fp64Tflops: 170_000, racks: 3_500 },
  { name: '国家超级计算郑州中心', path: ['河南', '郑州', '金水区'], fp64Tflops: 100_000, racks: 2_500 },
  { name: '国家超级计算昆山中心', path: ['江苏', '苏州', '昆山市'], fp64Tflops: 50_000, racks: 1_800 },
  { name: '国家超级计算西安中心', path: ['陕西', '西安', '长安区'], fp64Tflops: 60_000, racks: 2_000 },
  { name: '上海超级计算中心', path: ['上海', '浦东新区'], fp64Tflops: 20_000, racks: 1_000 },
  { name: '北京超级云计算中心', path: ['北京', '怀柔区'], fp64Tflops: 40_000, racks: 1_500 },
];

const ROAD_NAMES = ['科技路', '创新大道', '云谷路', '数据港路', '智算大道', '信息产业园路', '高新大道', '数字经济大道', '云计算产业园路', '算力大道'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '勇', '艳', '杰', '军', '涛', '明', '超', '霞', '平', '刚', '桂英', '建华', '志强', '晓东', '海燕', '文博'];

export const TEXT_POOLS = { ROAD_NAMES, SURNAMES, GIVEN_NAMES } as const;
