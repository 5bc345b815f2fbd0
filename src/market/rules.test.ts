import { describe, expect, it } from 'vitest';
import { availableOver, canonicalJson, offerFieldProblems, peakReserved, quotedTotal, reputation, requestFingerprint, settlementLines } from './rules.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('peakReserved', () => {
  it('adds overlapping reservations and not back-to-back ones', () => {
    const r = [
      { startMs: 0, endMs: 10 * H, quantity: 4 },
      { startMs: 10 * H, endMs: 20 * H, quantity: 5 }, // starts as the first ends: no overlap
      { startMs: 5 * H, endMs: 15 * H, quantity: 3 },
    ];
    expect(peakReserved(r, 0, 20 * H)).toBe(8);
    expect(peakReserved(r, 0, 5 * H)).toBe(4);
    expect(peakReserved(r, 16 * H, 20 * H)).toBe(5);
    expect(peakReserved(r, 20 * H, 30 * H)).toBe(0);
    expect(availableOver(10, r, 0, 20 * H)).toBe(2);
  });

  it('equals the brute-force maximum over instants on random reservations', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const r = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => {
        const start = Math.floor(rand() * 20);
        return { startMs: start * H, endMs: (start + 1 + Math.floor(rand() * 6)) * H, quantity: 1 + Math.floor(rand() * 5) };
      });
      const from = Math.floor(rand() * 20) * H;
      const to = from + (1 + Math.floor(rand() * 10)) * H;
      let brute = 0;
      for (let t = from; t < to; t += H / 2) brute = Math.max(brute, r.filter((x) => x.startMs <= t && t < x.endMs).reduce((s, x) => s + x.quantity, 0));
      expect(peakReserved(r, from, to)).toBe(brute);
    }
  });
});

describe('settlement', () => {
  it('bills reserved card-hours per UTC day', () => {
    const lines = settlementLines({ quantity: 8, unitPrice: 20, unit: 'card_hour', startMs: at('2026-03-02T12:00:00Z') }, at('2026-03-04T06:00:00Z'), []);
    expect(lines.map((l) => [l.period, l.quantity, l.amount])).toEqual([
      ['2026-03-02', 96, 1920],
      ['2026-03-03', 192, 3840],
      ['2026-03-04', 48, 960],
    ]);
    expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(quotedTotal(20, 'card_hour', 8, 42));
  });

  it('bills metered use instead when there is some, and per-token orders only on use', () => {
    const usage = [
      { periodStartMs: at('2026-03-02T01:00:00Z'), periodEndMs: at('2026-03-02T02:00:00Z'), quantity: 1200 },
      { periodStartMs: at('2026-03-02T05:00:00Z'), periodEndMs: at('2026-03-02T06:00:00Z'), quantity: 800 },
    ];
    const lines = settlementLines({ quantity: 10, unitPrice: 0.008, unit: '1k_tokens', startMs: at('2026-03-02T00:00:00Z') }, at('2026-03-03T00:00:00Z'), usage);
    expect(lines.map((l) => [l.period, l.quantity, l.amount, l.basis])).toEqual([['2026-03-02', 2000, 16, 'metered']]);
    expect(settlementLines({ quantity: 10, unitPrice: 0.008, unit: '1k_tokens', startMs: 0 }, 24 * H, [])).toEqual([]);
  });

  it('bills monthly offers in whole months of 730 hours', () => {
    const lines = settlementLines({ quantity: 2, unitPrice: 7300, unit: 'month', startMs: at('2026-03-01T00:00:00Z') }, at('2026-03-01T00:00:00Z') + 800 * H, []);
    expect(lines.map((l) => [l.period, l.quantity, l.amount])).toEqual([
      ['2026-03-01', 2, 14600],
      ['2026-03-31', 2, 14600],
    ]);
    expect(quotedTotal(7300, 'month', 2, 800)).toBe(29200);
  });
});

describe('reputation', () => {
  it('starts at the prior and moves towards the ratings as they accumulate', () => {
    expect(reputation(0, 0)).toBe(4);
    expect(reputation(5, 1)).toBe(4.25);
    expect(reputation(1 * 100, 100)).toBeCloseTo((12 + 100) / 103, 10);
  });
});

describe('request fingerprint', () => {
  it('is the same for the same request whatever the key order, and differs for another', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(requestFingerprint({ offerId: 'o', quantity: 1 })).toBe(requestFingerprint({ quantity: 1, offerId: 'o' }));
    expect(requestFingerprint({ offerId: 'o', quantity: 1 })).not.toBe(requestFingerprint({ offerId: 'o', quantity: 2 }));
  });
});

describe('offer fields', () => {
  const good = { resourceKind: 'gpu', acceleratorModel: 'H200', quantity: 8, windowStartMs: at('2026-03-01T00:00:00Z'), windowEndMs: at('2026-04-01T00:00:00Z'), pricePerUnit: 20, unit: 'card_hour', minTermHours: 1, slaPct: 99.9 };
  const now = at('2026-03-01T00:00:00Z');
  const codes = (fields: object) => offerFieldProblems({ ...good, ...fields }, now).map((p) => p.code);

  it('accepts a well-formed offer', () => expect(codes({})).toEqual([]));
  it('names every problem with its code', () => {
    expect(codes({ quantity: 0 })).toEqual(['INVALID_QUANTITY']);
    expect(codes({ quantity: 2.5 })).toEqual(['INVALID_QUANTITY']);
    expect(codes({ acceleratorModel: 'Z9000' })).toEqual(['UNKNOWN_ACCELERATOR']);
    expect(codes({ acceleratorModel: undefined })).toEqual(['ACCELERATOR_REQUIRED']);
    expect(codes({ resourceKind: 'cpu', acceleratorModel: undefined })).toEqual(['UNIT_NOT_FOR_KIND']);
    expect(codes({ windowEndMs: at('2026-02-01T00:00:00Z') })).toEqual(['END_BEFORE_START']);
    expect(codes({ windowStartMs: at('2026-01-01T00:00:00Z'), windowEndMs: at('2026-02-01T00:00:00Z') })).toEqual(['WINDOW_IN_PAST']);
    expect(codes({ pricePerUnit: -1 })).toEqual(['INVALID_PRICE']);
    expect(codes({ slaPct: 120 })).toEqual(['INVALID_SLA']);
    expect(codes({ minTermHours: 10_000 })).toEqual(['MIN_TERM_TOO_LONG']);
  });
});
