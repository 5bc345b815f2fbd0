import { describe, expect, it } from 'vitest';
import {
  applyHint,
  defaultDemandValues,
  demandBody,
  demandFieldOf,
  type DemandFormValues,
  demandToFormValues,
  formatCny,
  formatUnitPrice,
  fromLocalInput,
  newIdempotencyKey,
  orderActions,
  scoreSegments,
  termValue,
  toLocalInput,
  validateDemand,
} from './format.ts';
import type { Demand } from './types.ts';

const showcase = (over: Partial<DemandFormValues> = {}): DemandFormValues => ({
  by: 'model',
  acceleratorModel: 'H200',
  count: 8,
  start: '2030-03-02T00:00',
  timing: 'duration',
  durationHours: 72,
  regionsAllowed: [],
  latencyFrom: '140200',
  latencyMaxMs: 5,
  maxPricePerUnit: 30,
  weights: { price: 1, latency: 1, green: 0.5, reputation: 0.5, utilisation: 0.5 },
  ...over,
});

describe('market formatting', () => {
  it('formats CNY and unit prices', () => {
    expect(formatCny(11520, 'zh')).toBe('¥11,520.00');
    expect(formatCny(0.0042, 'en')).toBe('¥0.0042');
    expect(formatCny(null, 'zh')).toBe('—');
    expect(formatUnitPrice(20.02, '卡时', 'zh')).toBe('¥20.02/卡时');
  });

  it('round-trips local datetime inputs', () => {
    const date = new Date(2030, 2, 2, 8, 30);
    expect(toLocalInput(date)).toBe('2030-03-02T08:30');
    expect(fromLocalInput('2030-03-02T08:30')).toBe(date.toISOString());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('nonsense')).toBeNull();
  });
});

describe('the demand form', () => {
  it('sends the showcase demand: 8 × H200 for 72 h within 5 ms of 大同 under ¥30', () => {
    expect(validateDemand(showcase())).toEqual([]);
    expect(demandBody(showcase())).toEqual({
      hard: { acceleratorModel: 'H200' },
      count: 8,
      start: new Date(2030, 2, 2).toISOString(),
      durationHours: 72,
      latency: { fromRegionCode: '140200', maxMs: 5 },
      maxPricePerUnit: 30,
      weights: { price: 1, latency: 1, green: 0.5, reputation: 0.5, utilisation: 0.5 },
    });
  });

  it('sends a TFLOPS requirement, an end, regions and residency when given', () => {
    const body = demandBody(showcase({ by: 'tflops', minTflops: 900, precision: 'fp16', timing: 'end', end: '2030-03-05T00:00', regionsAllowed: ['140000'], dataResidency: '140000', latencyFrom: undefined, latencyMaxMs: null, maxPricePerUnit: null, title: '  训练 ' }));
    expect(body).toMatchObject({ title: '训练', hard: { minTflops: 900, precision: 'fp16' }, end: new Date(2030, 2, 5).toISOString(), regionsAllowed: ['140000'], dataResidency: '140000' });
    expect(body).not.toHaveProperty('durationHours');
    expect(body).not.toHaveProperty('latency');
    expect(body).not.toHaveProperty('maxPricePerUnit');
  });

  it('finds what the browser can check by itself', () => {
    const keys = (v: DemandFormValues) => validateDemand(v).map((i) => `${i.name.join('.')}:${i.key}`);
    expect(keys(showcase({ acceleratorModel: '', count: 0 }))).toEqual(['acceleratorModel:market.v.modelRequired', 'count:market.v.countPositive']);
    expect(keys(showcase({ count: 2.5 }))).toEqual(['count:market.v.countPositive']);
    expect(keys(showcase({ by: 'tflops', minTflops: 0 }))).toEqual(['minTflops:market.v.tflopsPositive', 'precision:market.v.precisionRequired']);
    expect(keys(showcase({ timing: 'end', end: '2030-03-01T00:00' }))).toEqual(['end:market.v.endAfterStart']);
    expect(keys(showcase({ durationHours: 0 }))).toEqual(['durationHours:market.v.durationPositive']);
    expect(keys(showcase({ latencyFrom: undefined }))).toEqual(['latencyFrom:market.v.latencyOrigin']);
    expect(keys(showcase({ latencyMaxMs: null }))).toEqual(['latencyMaxMs:market.v.latencyPositive']);
    expect(keys(showcase({ maxPricePerUnit: -1, start: '' }))).toEqual(['start:market.v.startRequired', 'maxPricePerUnit:market.v.priceNonNegative']);
    expect(keys(showcase({ weights: { price: -1, latency: 1, green: 0, reputation: 0, utilisation: 0 } }))).toEqual(['weights.price:market.v.weightNonNegative']);
  });

  it('starts from sensible defaults: the server’s weights, tomorrow, one 8-card server', () => {
    const v = defaultDemandValues(new Date(2030, 0, 15, 13, 20));
    expect(v).toMatchObject({ by: 'model', count: 8, start: '2030-01-16T00:00', timing: 'duration', weights: { price: 1, latency: 1, green: 0.5, reputation: 0.5, utilisation: 0.5 } });
    expect(validateDemand({ ...v, acceleratorModel: 'H200' })).toEqual([]);
  });

  it('puts the server’s field errors on their fields', () => {
    const v = { by: 'model', timing: 'duration' } as const;
    expect(demandFieldOf('/count', v)).toEqual(['count']);
    expect(demandFieldOf('/hard/acceleratorModel', v)).toEqual(['acceleratorModel']);
    expect(demandFieldOf('/hard', v)).toEqual(['acceleratorModel']);
    expect(demandFieldOf('/hard', { by: 'tflops', timing: 'duration' })).toEqual(['minTflops']);
    expect(demandFieldOf('/end', v)).toEqual(['durationHours']);
    expect(demandFieldOf('/end', { by: 'model', timing: 'end' })).toEqual(['end']);
    expect(demandFieldOf('/start', v)).toEqual(['start']);
    expect(demandFieldOf('/latency/maxMs', v)).toEqual(['latencyMaxMs']);
    expect(demandFieldOf('/latency/fromRegionCode', v)).toEqual(['latencyFrom']);
    expect(demandFieldOf('/regionsAllowed/2', v)).toEqual(['regionsAllowed']);
    expect(demandFieldOf('/weights/green', v)).toEqual(['weights', 'green']);
    expect(demandFieldOf('/weights/bogus', v)).toBeNull();
    expect(demandFieldOf('/', v)).toBeNull();
  });

  it('posts a demand again with a relaxation hint applied', () => {
    const demand: Demand = {
      id: 'dem_1',
      title: '8 × H200',
      status: 'open',
      demanderOrgId: 'o',
      demanderOrgName: null,
      resourceKind: null,
      hard: { acceleratorModel: 'H200' },
      count: 8,
      memoryGb: null,
      start: '2030-03-02T00:00:00.000Z',
      end: '2030-03-05T00:00:00.000Z',
      durationHours: 72,
      regionsAllowed: ['140000'],
      dataResidency: null,
      latency: { fromRegionCode: '140200', fromRegionName: '大同市', maxMs: 3 },
      maxPricePerUnit: 10,
      weights: { price: 2, latency: 1, green: 1, reputation: 1, utilisation: 0.5 },
      regionCode: '140200',
      version: 1,
      createdAt: '2030-03-01T00:00:00.000Z',
      updatedAt: '2030-03-01T00:00:00.000Z',
    };
    const values = demandToFormValues(demand);
    expect(demandBody(values)).toMatchObject({ hard: { acceleratorModel: 'H200' }, count: 8, start: demand.start, durationHours: 72, latency: { fromRegionCode: '140200', maxMs: 3 }, maxPricePerUnit: 10, regionsAllowed: ['140000'], weights: demand.weights });
    expect(applyHint(values, { constraint: 'latency', parameter: 'latency.maxMs', to: 5, offers: 2 }).latencyMaxMs).toBe(5);
    expect(applyHint(values, { constraint: 'price', parameter: 'maxPricePerUnit', to: 18, offers: 1 }).maxPricePerUnit).toBe(18);
    expect(applyHint(values, { constraint: 'region', parameter: 'regionsAllowed', to: '110000', offers: 1 }).regionsAllowed).toEqual(['140000', '110000']);
    expect(applyHint(values, { constraint: 'model', parameter: 'hard.acceleratorModel', to: 'A800', offers: 1 }).acceleratorModel).toBe('A800');
    expect(applyHint(values, { constraint: 'window', parameter: 'start/end', to: null, offers: 1 })).toBe(values);
  });
});

describe('order actions by side and state', () => {
  const buyer = { orgId: 'b' };
  const supplier = { orgId: 's' };
  const watcher = { orgId: 'gov' };
  const order = (state: string, rating: null | { stars: number; comment: string; createdAt: string } = null) => ({ state: state as never, buyerOrgId: 'b', supplierOrgId: 's', rating });

  it('follows docs/market.md §2', () => {
    expect(orderActions(order('quote'), buyer)).toEqual(['confirm', 'cancel']);
    expect(orderActions(order('quote'), supplier)).toEqual(['cancel']);
    expect(orderActions(order('reserved'), buyer)).toEqual(['cancel']);
    expect(orderActions(order('reserved'), supplier)).toEqual(['activate', 'cancel']);
    expect(orderActions(order('active'), buyer)).toEqual(['complete', 'dispute']);
    expect(orderActions(order('completed'), buyer)).toEqual(['rate', 'dispute', 'statement']);
    expect(orderActions(order('completed', { stars: 5, comment: '', createdAt: '' }), buyer)).toEqual(['dispute', 'statement']);
    expect(orderActions(order('completed'), supplier)).toEqual(['dispute', 'statement']);
    expect(orderActions(order('cancelled'), buyer)).toEqual([]);
    expect(orderActions(order('disputed'), supplier)).toEqual(['statement']);
  });

  it('lets onlookers (governments, administrators) only read the statement', () => {
    expect(orderActions(order('reserved'), watcher)).toEqual([]);
    expect(orderActions(order('completed'), watcher)).toEqual(['statement']);
    expect(orderActions(order('reserved'), null)).toEqual([]);
  });
});

describe('the score bar', () => {
  it('splits the score into its terms over the best score possible', () => {
    const weights = { price: 2, latency: 0.5, green: 1, reputation: 1, utilisation: 3 };
    // ranking.md §7, offer A: 2 + 0.5 + 1 + 1 + 0.3 = 4.8 of a possible 7.5
    const segments = scoreSegments({ price: 2, latency: 0.5, green: 1, reputation: 1, utilisation: 0.3 }, weights);
    expect(segments.map((s) => s.term)).toEqual(['price', 'latency', 'green', 'reputation', 'utilisation']);
    expect(segments.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(4.8 / 7.5, 10);
    expect(scoreSegments({ price: 0, latency: 0, green: 0, reputation: 0.5, utilisation: 2.1 }, weights).map((s) => s.term)).toEqual(['reputation', 'utilisation']);
    expect(scoreSegments({ price: 0, latency: 0, green: 0, reputation: 0, utilisation: 0 }, { price: 0, latency: 0, green: 0, reputation: 0, utilisation: 0 })).toEqual([]);
    expect(termValue(0.3, 3)).toBeCloseTo(0.1, 10);
    expect(termValue(0, 0)).toBeNull();
  });
});

describe('Idempotency-Key', () => {
  it('is a v4 UUID, with or without crypto.randomUUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(uuid);
    const fallback = newIdempotencyKey({ getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    expect(fallback).toMatch(uuid);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
