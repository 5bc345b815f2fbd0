/**
 * Facility names in the patterns operators use: 中国移动(庆阳)智算中心, 阿里云张家口数据中心,
 * 中国电信大同平城边缘计算节点. Repeats become later phases (二期, 三期 …), as real campuses grow.
 */
import type { FacilityKind } from '../ledger/types.ts';
import type { Random } from './random.ts';

export interface NameParts {
  brand: string;
  cityShort: string;
  countyShort: string | null; // null when the facility sits at city level
  kind: FacilityKind;
}

type Template = (p: NameParts) => string;

const TEMPLATES: Record<Exclude<FacilityKind, 'supercomputing'>, readonly Template[]> = {
  intelligent: [
    (p) => `${p.brand}(${p.cityShort})智算中心`,
    (p) => `${p.brand}${p.cityShort}人工智能计算中心`,
    (p) => `${p.cityShort}${p.brand}智算中心`,
    (p) => `${p.brand}${p.cityShort}${p.countyShort ?? ''}智算中心`,
    (p) => `${p.brand}${p.cityShort}智算产业园`,
  ],
  general: [
    (p) => `${p.brand}(${p.cityShort})数据中心`,
    (p) => `${p.brand}${p.cityShort}云计算中心`,
    (p) => `${p.brand}${p.cityShort}${p.countyShort ?? ''}数据中心`,
    (p) => `${p.brand}${p.cityShort}大数据产业园`,
    (p) => `${p.cityShort}${p.brand}云数据中心`,
  ],
  edge: [
    (p) => `${p.brand}${p.cityShort}${p.countyShort ?? ''}边缘计算节点`,
    (p) => `${p.brand}${p.countyShort ?? p.cityShort}边缘数据中心`,
  ],
};

const PHASES = ['二期', '三期', '四期', '五期', '六期', '七期', '八期', '九期', '十期'];

/** Keeps names unique across one dataset: a repeated name becomes the next phase of that campus. */
export class NameRegistry {
  private readonly used = new Set<string>();

  claim(base: string): string {
    if (!this.used.has(base)) {
      this.used.add(base);
      return base;
    }
    for (const phase of PHASES) {
      const candidate = `${base}${phase}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
    for (let n = 2; ; n++) {
      const candidate = `${base}${n}号园区`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }
}

export function facilityName(random: Random, parts: NameParts): string {
  if (parts.kind === 'supercomputing') return `${parts.cityShort}超算中心`;
  const templates = TEMPLATES[parts.kind];
  return random.pick(templates)(parts);
}

/** The 大同 anchor supplier's campuses, and 秦淮数据's 环首都·太行 base there. */
export function datongName(random: Random, parts: NameParts, ownerKey: string): string {
  const county = parts.countyShort ?? parts.cityShort;
  if (ownerKey === 'chindata') return `秦淮数据环首都·太行数据产业基地(${county})`;
  if (ownerKey !== 'datong-supplier') return facilityName(random, parts);
  const suffix = parts.kind === 'intelligent' ? random.pick(['智算中心', '人工智能计算中心', '智算产业园']) : parts.kind === 'edge' ? '边缘计算节点' : random.pick(['数据中心', '云计算中心', '大数据产业园']);
  return `${parts.brand}${county}${suffix}`;
}
