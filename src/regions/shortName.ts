/**
 * Short region names, the way Chinese maps and dashboards print them: 广西壮族自治区 → 广西,
 * 黔东南苗族侗族自治州 → 黔东南, 张家口市 → 张家口. The province short names must equal the
 * feature names of ECharts' china map (china-geojson), or the map cannot be coloured.
 */

// Ethnic groups that appear in the names of autonomous regions, prefectures, counties and banners.
// Most are written with 族; a few (新疆维吾尔自治区, 伊犁哈萨克自治州 …) are written without it.
const ETHNIC_WITH_OPTIONAL_ZU = ['维吾尔', '哈萨克', '柯尔克孜', '蒙古', '锡伯', '塔吉克'];
const ETHNIC_WITH_ZU = [
  '壮', '回', '藏', '苗', '彝', '布依', '朝鲜', '满', '侗', '瑶', '白', '土家', '哈尼', '傣', '黎',
  '傈僳', '佤', '畲', '拉祜', '水', '东乡', '纳西', '景颇', '土', '达斡尔', '仫佬', '羌', '布朗',
  '撒拉', '毛南', '仡佬', '阿昌', '普米', '怒', '鄂温克', '保安', '裕固', '京', '独龙', '鄂伦春',
  '赫哲', '各',
];

const byLengthDesc = (a: string, b: string): number => b.length - a.length;
const ethnicAlternatives = [
  ...ETHNIC_WITH_OPTIONAL_ZU.map((name) => `${name}族?`),
  ...ETHNIC_WITH_ZU.sort(byLengthDesc).map((name) => `${name}族`),
].join('|');
const TRAILING_ETHNIC = new RegExp(`(?:${ethnicAlternatives})+$`, 'u');

const AUTONOMOUS_SUFFIXES = ['自治区', '自治州', '自治县', '自治旗'];
const PROVINCE_SUFFIXES = ['特别行政区', '省', '市'];
const CITY_SUFFIXES = ['地区', '市', '盟'];
const COUNTY_SUFFIXES = ['林区', '特区', '县', '区', '市', '旗'];

function stripAutonomous(name: string): string | null {
  for (const suffix of AUTONOMOUS_SUFFIXES) {
    if (name.endsWith(suffix)) {
      return withoutEthnic(name.slice(0, -suffix.length));
    }
  }
  return null;
}

// 内蒙古 must not lose 蒙古, nor 鄂温克族(自治旗) everything: keep the stem when too little is left.
function withoutEthnic(stem: string): string {
  const reduced = stem.replace(TRAILING_ETHNIC, '');
  return reduced.length >= 2 ? reduced : stem;
}

// A stem of one character (城区 → 城) would be ambiguous and unreadable, so such names stay whole.
function stripSuffix(name: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return name.slice(0, -suffix.length);
  }
  return name;
}

export function provinceShortName(name: string): string {
  return stripAutonomous(name) ?? stripSuffix(name, PROVINCE_SUFFIXES);
}

export function cityShortName(name: string): string {
  if (name.endsWith('直辖县级行政区划')) return name.replace('县级行政区划', '县');
  return stripAutonomous(name) ?? stripSuffix(name, CITY_SUFFIXES);
}

export function countyShortName(name: string): string {
  // Development zones and management areas are administrative units without a short form.
  if (/(?:开发区|园区|管理区|管委会|新区|群岛|海域)$/u.test(name)) return name;
  // Ethnic districts (管城回族区) drop the group name too, as they are spoken: 管城.
  return stripAutonomous(name) ?? withoutEthnic(stripSuffix(name, COUNTY_SUFFIXES));
}
