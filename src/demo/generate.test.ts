import { beforeAll, describe, expect, it } from 'vitest';
import { computeFromAccelerators } from '../ledger/catalogue.ts';
import { normaliseFacility } from '../ledger/rules.ts';
import { childrenOf, regionIndex } from '../regions/dataset.ts';
import { groupsOf } from '../regions/groups.ts';
import { generateDemoDataset } from './generate.ts';
import type { DemoDataset, DemoFacility } from './generate.ts';

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
const within = (value: number, target: number, tolerance: number) => Math.abs(value - target) <= target * tolerance;

let dataset: DemoDataset;
let datong: DemoFacility[];
const cityOf = (f: DemoFacility) => regionIndex().get(f.regionCode)?.cityCode;
const provinceOf = (f: DemoFacility) => regionIndex().get(f.regionCode)?.provinceCode;

beforeAll(() => {
  dataset = generateDemoDataset({});
  datong = dataset.facilities.filter((f) => cityOf(f) === '140200');
});

describe('demo dataset', () => {
  it('has 2,400 facilities in every one of the 31 provinces, each in an existing city or county', () => {
    expect(dataset.facilities).toHaveLength(2400);
    const index = regionIndex();
    for (const f of dataset.facilities) {
      expect(['city', 'county'], f.regionCode).toContain(index.get(f.regionCode)?.level);
    }
    expect(new Set(dataset.facilities.map(provinceOf)).size).toBe(childrenOf(null).length);
    expect(new Set(dataset.facilities.map((f) => f.name)).size).toBe(2400);
  });

  it('matches the national rack stock (≈ 1,085万) and Shanxi’s (≈ 101.2万)', () => {
    expect(within(sum(dataset.facilities.map((f) => f.racksDesigned)), 10_850_000, 0.1)).toBe(true);
    const shanxi = dataset.facilities.filter((f) => provinceOf(f) === '140000');
    expect(within(sum(shanxi.map((f) => f.racksDesigned)), 1_012_000, 0.05)).toBe(true);
  });

  it('matches 大同: ≈ 60 facilities, > 32.6万 racks built, 90% in use, 2.5万 P building, 43亿 kWh', () => {
    expect(datong.length).toBeGreaterThanOrEqual(55);
    expect(datong.length).toBeLessThanOrEqual(65);
    expect(within(sum(datong.map((f) => f.racksDesigned)), 326_000, 0.05)).toBe(true);
    const operating = datong.filter((f) => f.status === 'in_operation');
    const built = sum(operating.map((f) => f.racksDesigned));
    expect(built).toBeGreaterThan(326_000);
    expect(within(sum(operating.map((f) => f.racksInUse)) / built, 0.9, 0.05)).toBe(true);
    const building = datong.filter((f) => f.status === 'under_construction');
    const pflops = sum(building.map((f) => computeFromAccelerators(f.accelerators ?? []).compute.fp16)) / 1000;
    expect(within(pflops, 25_000, 0.05)).toBe(true);
    expect(within(sum(datong.map((f) => f.annualKwh ?? 0)), 4.3e9, 0.05)).toBe(true);
    const owned = datong.filter((f) => f.ownerKey === 'datong-supplier').length;
    expect(owned).toBeGreaterThan(datong.length / 2);
  });

  it('keeps every facility physically plausible and valid for the ledger', () => {
    for (const f of dataset.facilities) {
      expect(f.racksInUse, f.name).toBeLessThanOrEqual(f.racksDesigned);
      expect(f.racksInUse).toBeGreaterThanOrEqual(0);
      if (f.status !== 'in_operation') expect(f.racksInUse).toBe(0);
      expect(f.pueDesign ?? 0).toBeGreaterThanOrEqual(1.15);
      expect(f.pueDesign ?? 9).toBeLessThanOrEqual(1.6);
      if (f.pueMeasured !== null && f.pueMeasured !== undefined) expect(f.pueMeasured).toBeGreaterThanOrEqual(1);
      if (f.kind === 'edge') expect(f.racksDesigned).toBeLessThanOrEqual(200);
      else expect(f.racksDesigned).toBeLessThanOrEqual(30_000);
      const { errors } = normaliseFacility(f);
      expect(errors, f.name).toEqual([]);
    }
  });

  it('has the expected mix of kinds and statuses, with every supplier owning something', () => {
    const count = (pred: (f: DemoFacility) => boolean) => dataset.facilities.filter(pred).length;
    expect(count((f) => f.status === 'in_operation')).toBeGreaterThan(2400 * 0.7);
    expect(count((f) => f.status === 'under_construction')).toBeGreaterThan(0);
    expect(count((f) => f.status === 'planned')).toBeGreaterThan(0);
    expect(count((f) => f.status === 'decommissioned')).toBeGreaterThan(0);
    expect(count((f) => f.kind === 'general')).toBeGreaterThan(count((f) => f.kind === 'intelligent'));
    expect(count((f) => f.kind === 'supercomputing')).toBeGreaterThanOrEqual(9);
    expect(count((f) => f.kind === 'edge')).toBeGreaterThan(0);
    const owners = new Set(dataset.facilities.map((f) => f.ownerKey));
    const keys = dataset.organizations.map((o) => o.key);
    for (const owner of owners) expect(keys).toContain(owner);
    for (const org of dataset.organizations.filter((o) => o.marketRoles.includes('supplier'))) expect(owners.has(org.key), org.key).toBe(true);
    expect(keys).toEqual(expect.arrayContaining(['datong-supplier', 'demo-demander', 'demo-provider']));
    expect(dataset.organizations.filter((o) => o.marketRoles.includes('supplier')).length).toBeGreaterThanOrEqual(35);
  });

  it('puts most racks in the hubs, and leaves western AI centres under half full', () => {
    const total = sum(dataset.facilities.map((f) => f.racksDesigned));
    const inHubs = sum(dataset.facilities.filter((f) => groupsOf(f.regionCode).some((g) => g.kind === 'hub')).map((f) => f.racksDesigned));
    expect(inHubs / total).toBeGreaterThan(0.5);
    for (const city of ['621000', '640500']) {
      const ai = dataset.facilities.filter((f) => cityOf(f) === city && f.kind === 'intelligent' && f.status === 'in_operation');
      expect(sum(ai.map((f) => f.racksInUse)) / sum(ai.map((f) => f.racksDesigned)), city).toBeLessThan(0.5);
    }
  });

  it('is deterministic in its seed', () => {
    expect(generateDemoDataset({})).toEqual(dataset);
    const other = generateDemoDataset({ seed: 7 });
    expect(other.facilities).not.toEqual(dataset.facilities);
    expect(other.facilities).toHaveLength(2400);
  });

  it('scales down for small datasets', () => {
    const small = generateDemoDataset({ seed: 3, facilities: 300 });
    expect(small.facilities.length).toBe(300);
    for (const f of small.facilities) expect(f.racksInUse).toBeLessThanOrEqual(f.racksDesigned);
  });
});
