import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { peakReserved } from '../../src/market/rules.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

// The demo marketplace (src/demo/market.ts) on the small demo dataset: offers and standard products
// on facilities in operation, services, demands and orders in every state — and no offer overbooked.

const NOW = '2026-03-01T08:00:00.000Z';

describe(`demo marketplace (${databaseKind})`, () => {
  let t: TestPlatform;
  let demander = '';

  beforeAll(async () => {
    t = await createTestPlatform({ demo: 'small', clock: manualClock(NOW), env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0', SUANLI_RATE_LIMIT_PER_MINUTE: '0' } });
    demander = await t.login('demander');
  });
  afterAll(async () => t?.close());

  it('fills the market: offers and standard products, services, demands, orders in every state', async () => {
    const market = t.platform.demo!.market!;
    expect(market.offers).toBeGreaterThan(20);
    expect(market.standardProducts).toBeGreaterThan(5);
    expect(market.services).toBeGreaterThan(5);
    expect(market.demands).toBeGreaterThan(20);
    expect(Object.keys(market.orders).sort()).toEqual(['active', 'cancelled', 'completed', 'disputed', 'quote', 'reserved']);
    const offers = (await t.inject('GET', '/api/v1/offers?limit=5', { token: demander })).json();
    expect(offers.total).toBeGreaterThan(20);
    const mine = (await t.inject('GET', '/api/v1/orders?limit=100', { token: demander })).json();
    expect(new Set(mine.items.map((o: { state: string }) => o.state)).size).toBe(6);
    const supplier = await t.login('supplier-datong');
    expect((await t.inject('GET', '/api/v1/orders?role=supplier', { token: supplier })).json().total).toBeGreaterThan(0);
  });

  it('never overbooks an offer, and settles every completed order', async () => {
    const db = t.platform.deps.database;
    const offers = await db.query<{ id: string; quantity_total: number }>('select id, quantity_total from market_offers');
    const holding = await db.query<{ offer_id: string; start_at: string; end_at: string; quantity: number }>(`select offer_id, start_at::text, end_at::text, quantity from market_orders where state in ('reserved', 'active')`);
    for (const offer of offers) {
      const reservations = holding.filter((h) => h.offer_id === offer.id).map((h) => ({ startMs: Date.parse(h.start_at), endMs: Date.parse(h.end_at), quantity: Number(h.quantity) }));
      expect(peakReserved(reservations, 0, 8.64e15)).toBeLessThanOrEqual(Number(offer.quantity_total));
    }
    const unsettled = await db.query(`select o.id from market_orders o where o.state = 'completed' and not exists (select 1 from market_settlement_lines l where l.order_id = o.id)`);
    expect(unsettled).toEqual([]);
  });

  it("ranks offers for the showcase demand: 8 × H200 for 72 h within 5 ms of 大同 under ¥30", async () => {
    const demands = (await t.inject('GET', '/api/v1/demands?limit=100', { token: demander })).json();
    const showcase = demands.items.find((d: { title: string }) => d.title.includes('大同'));
    expect(showcase).toMatchObject({ count: 8, durationHours: 72, maxPricePerUnit: 30, latency: { fromRegionCode: '140200', maxMs: 5 } });
    const matches = await t.inject('GET', `/api/v1/demands/${showcase.id}/matches`, { token: demander });
    expect(matches.statusCode, matches.body).toBe(200);
    const result = matches.json();
    expect(result.offersConsidered).toBeGreaterThan(20);
    for (const c of result.candidates) {
      expect(c.offer.acceleratorModel).toBe('H200');
      expect(c.latencyMs).toBeLessThanOrEqual(5);
      expect(c.offer.pricePerUnit).toBeLessThanOrEqual(30);
    }
    // Either ranked offers, or — should the seed leave none — nearest misses that say what to relax.
    expect(result.candidates.length > 0 || result.nearestMisses.length > 0).toBe(true);
  });

  it('keeps the audit chain whole', async () => {
    const verify = await t.inject('GET', '/api/v1/audit/verify', { token: await t.login('admin') });
    expect(verify.statusCode, verify.body).toBe(200);
    expect(verify.json().ok).toBe(true);
  });
});
