import { describe, expect, it } from 'vitest';
import { acceleratorWeight, aggregate, type FacilityInput, NO_FIGURES, reduceFacility, tooFewHidden, withheldChildren, withhold } from './aggregate.ts';

const facility = (id: string, values: { metric: string; value: number }[], racksDesigned = 100, acceleratorsRegistered = 0): FacilityInput => ({
  id,
  figures: reduceFacility(values),
  racksDesigned,
  acceleratorsRegistered,
});

describe('reduceFacility', () => {
  it('sums power and accelerator counts over series, averages the ratios and PUE', () => {
    const figures = reduceFacility([
      { metric: 'it_power_kw', value: 300 },
      { metric: 'it_power_kw', value: 200 },
      { metric: 'accelerator_utilization', value: 0.2 },
      { metric: 'accelerator_utilization', value: 0.6 },
      { metric: 'accelerators_total', value: 8 },
      { metric: 'accelerators_total', value: 8 },
      { metric: 'accelerators_healthy', value: 8 },
      { metric: 'accelerators_healthy', value: 7 },
      { metric: 'pue', value: 1.25 },
      { metric: 'pue', value: 1.75 },
      { metric: 'availability', value: 1 },
      { metric: 'availability', value: 0 },
      { metric: 'node_load1', value: 99 },
    ]);
    expect(figures).toEqual({
      rackUtilization: null,
      itPowerKw: 500,
      pue: 1.5,
      acceleratorUtilization: 0.4,
      acceleratorUtilizationSeries: 2,
      acceleratorsHealthy: 15,
      acceleratorsTotal: 16,
      availability: 0.5,
    });
  });

  it('gives no figures for no values, and skips non-finite ones', () => {
    expect(reduceFacility([])).toEqual(NO_FIGURES);
    expect(reduceFacility([{ metric: 'pue', value: Number.NaN }]).pue).toBeNull();
  });
});

describe('aggregate', () => {
  const a = facility('a', [
    { metric: 'rack_utilization', value: 0.5 },
    { metric: 'it_power_kw', value: 1000 },
    { metric: 'pue', value: 1.2 },
    { metric: 'availability', value: 1 },
  ], 100);
  const b = facility('b', [
    { metric: 'rack_utilization', value: 0.8 },
    { metric: 'it_power_kw', value: 3000 },
    { metric: 'pue', value: 1.6 },
    { metric: 'availability', value: 0.5 },
  ], 300);

  it('averages rack utilisation plainly and by racks designed; weights PUE by IT power', () => {
    const r = aggregate([a, b]);
    expect(r.rackUtilization).toEqual({ average: 0.65, weighted: 0.725 }); // (0.5·100 + 0.8·300) / 400
    expect(r.itPowerKw).toBe(4000);
    expect(r.pue).toBe(1.5); // (1.2·1000 + 1.6·3000) / 4000: total facility power / IT power
    expect(r.availability).toBe(0.75);
    expect(r.acceleratorUtilization).toBeNull();
    expect(r.accelerators).toEqual({ healthy: null, total: null });
    expect(r.contributors).toEqual({ rackUtilization: 2, itPowerKw: 2, pue: 2, acceleratorUtilization: 0, accelerators: 0, availability: 2 });
  });

  it('does not depend on the order of the facilities', () => {
    expect(aggregate([b, a])).toEqual(aggregate([a, b]));
  });

  it('leaves a PUE without power (or with zero power) out of the weighted PUE', () => {
    const onlyPue = facility('c', [{ metric: 'pue', value: 3 }]);
    const zero = facility('d', [{ metric: 'pue', value: 2 }, { metric: 'it_power_kw', value: 0 }]);
    const r = aggregate([a, onlyPue, zero]);
    expect(r.pue).toBe(1.2);
    expect(r.contributors.pue).toBe(1);
    expect(r.itPowerKw).toBe(1000);
    expect(r.contributors.itPowerKw).toBe(2);
  });

  it('leaves facilities without racks designed out of the weighted utilisation only', () => {
    const r = aggregate([a, facility('e', [{ metric: 'rack_utilization', value: 0.9 }], 0)]);
    expect(r.rackUtilization).toEqual({ average: 0.7, weighted: 0.5 });
  });

  it('weights accelerator utilisation by accelerators reported, else registered, else series', () => {
    const reported = facility('f', [
      { metric: 'accelerator_utilization', value: 0.9 },
      { metric: 'accelerators_total', value: 30 },
      { metric: 'accelerators_healthy', value: 29 },
    ], 10, 999);
    const registered = facility('g', [{ metric: 'accelerator_utilization', value: 0.3 }], 10, 8);
    const neither = facility('h', [{ metric: 'accelerator_utilization', value: 0.5 }, { metric: 'accelerator_utilization', value: 0.1 }], 10, 0);
    expect([reported, registered, neither].map(acceleratorWeight)).toEqual([30, 8, 2]);
    const r = aggregate([reported, registered, neither]);
    expect(r.acceleratorUtilization).toBe(0.75); // (0.9·30 + 0.3·8 + 0.3·2) / 40
    expect(r.accelerators).toEqual({ healthy: 29, total: 30 });
    expect(r.contributors.accelerators).toBe(1);
  });

  it('answers nulls for no facilities', () => {
    const r = aggregate([]);
    expect(r.rackUtilization).toEqual({ average: null, weighted: null });
    expect([r.itPowerKw, r.pue, r.acceleratorUtilization, r.availability]).toEqual([null, null, null, null]);
  });

  it('withholds the named figures only', () => {
    const r = withhold(aggregate([a, b]), new Set(['itPowerKw', 'rackUtilization'] as const));
    expect(r.itPowerKw).toBeNull();
    expect(r.rackUtilization).toEqual({ average: null, weighted: null });
    expect(r.pue).toBe(1.5);
  });
});

describe('disclosure: withheldChildren', () => {
  const k = 3;
  it('withholds figures resting on 1 or 2 hidden facilities, never on 0 or 3+', () => {
    expect([0, 1, 2, 3, 10].map((n) => tooFewHidden(n, k))).toEqual([false, true, true, false, false]);
  });

  it('withholds a child on too few hidden facilities, and one more so the parent minus the rest does not disclose it', () => {
    const children = [
      { key: '11', hidden: 5 },
      { key: '12', hidden: 1 },
      { key: '13', hidden: 4 },
      { key: '14', hidden: 0 },
    ];
    // 12 alone (1 hidden) would be the parent minus 11, 13, 14: 13 goes too (fewest hidden after 12… 4 < 5).
    expect([...withheldChildren({ hidden: 10, withheld: false }, children, k)].sort()).toEqual(['12', '13']);
  });

  it('needs nothing more when the withheld children together rest on enough hidden facilities', () => {
    const children = [
      { key: 'a', hidden: 1 },
      { key: 'b', hidden: 2 },
      { key: 'c', hidden: 7 },
    ];
    expect([...withheldChildren({ hidden: 10, withheld: false }, children, k)].sort()).toEqual(['a', 'b']);
  });

  it('picks the secondary child deterministically: fewest hidden, then the lowest key', () => {
    const children = [
      { key: 'z', hidden: 1 },
      { key: 'c', hidden: 3 },
      { key: 'b', hidden: 3 },
    ];
    expect([...withheldChildren({ hidden: 7, withheld: false }, children, k)].sort()).toEqual(['b', 'z']);
  });

  it('keeps fully visible children shown', () => {
    expect(withheldChildren({ hidden: 0, withheld: false }, [{ key: 'a', hidden: 0 }, { key: 'b', hidden: 0 }], k).size).toBe(0);
  });

  it('counts facilities without a child region as withheld (unlisted)', () => {
    const children = [
      { key: '', hidden: 1, unlisted: true },
      { key: 'a', hidden: 4 },
      { key: 'b', hidden: 3 },
    ];
    expect([...withheldChildren({ hidden: 8, withheld: false }, children, k)].sort()).toEqual(['', 'b']);
  });

  it('under a withheld parent, does not let the shown children add up to it', () => {
    // The parent (6 hidden) is withheld to protect a sibling; its children 3 + 3 are each safe alone,
    // but both shown would give the parent back: one is withheld.
    expect([...withheldChildren({ hidden: 6, withheld: true }, [{ key: 'a', hidden: 3 }, { key: 'b', hidden: 3 }], k)]).toEqual(['a']);
    // A parent withheld on too few hidden facilities: its children are withheld by themselves.
    expect([...withheldChildren({ hidden: 2, withheld: true }, [{ key: 'a', hidden: 2 }, { key: 'b', hidden: 0 }], k)]).toEqual(['a']);
  });

  it('always ends with no published difference resting on too few hidden facilities', () => {
    // Exhaustive over small trees: the withheld set rests on 0 or ≥ k hidden (parent shown), or on ≥ k or all of them (parent withheld).
    for (let mask = 0; mask < 5 ** 4; mask++) {
      const children = [0, 1, 2, 3].map((i) => ({ key: String(i), hidden: Math.floor(mask / 5 ** i) % 5 }));
      const parentHidden = children.reduce((s, c) => s + c.hidden, 0);
      for (const parentWithheld of [false, true]) {
        if (!parentWithheld && tooFewHidden(parentHidden, k)) continue;
        if (parentWithheld && parentHidden === 0) continue;
        const set = withheldChildren({ hidden: parentHidden, withheld: parentWithheld }, children, k);
        const hidden = children.filter((c) => set.has(c.key)).reduce((s, c) => s + c.hidden, 0);
        for (const c of children) if (tooFewHidden(c.hidden, k)) expect(set.has(c.key)).toBe(true);
        if (parentWithheld) expect(hidden >= k || hidden === parentHidden).toBe(true);
        else expect(tooFewHidden(hidden, k)).toBe(false);
      }
    }
  });
});
