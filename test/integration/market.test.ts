import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { networkStore } from '../../src/monitoring/network/store.ts';
import { changedTables, fingerprint, fingerprintStatement } from '../../src/security/fingerprint.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { approvedFacility, facilityInput, marketActors } from './market-fixtures.ts';

// The marketplace end to end through the API: offers on approved facilities, a demand and its ranked
// matches with explanations, an order that reserves capacity, cancel releases it, activation,
// completion with settlement, a rating that feeds the supplier's reputation; idempotency; and every
// bad input answered 4xx problem+json with nothing written.

const clock = manualClock('2026-03-01T00:00:00Z');
const WINDOW = { start: '2026-03-01T00:00:00Z', end: '2026-06-01T00:00:00Z' };
const DEMAND_START = '2026-03-02T00:00:00.000Z';

describe(`marketplace (${databaseKind})`, () => {
  let t: TestPlatform;
  let tokens: Record<string, string> = {};
  let orgs: Record<string, string> = {};
  const fac: Record<string, string> = {};
  const offers: Record<string, string> = {};
  let demandId = '';
  let sql = '';

  const as = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers?: Record<string, string>) => t.inject(method, url, { token: tokens[who], body, headers });
  const order = (who: string, key: string, body: object) => as(who, 'POST', '/api/v1/orders', body, { 'idempotency-key': key });

  /** Runs `request`, expects a 4xx problem with `code`, and that no table changed. */
  async function rejected(request: () => Promise<{ statusCode: number; headers: Record<string, unknown>; json: () => any; body: string }>, status: number, code: string) {
    const before = await fingerprint(t.platform.deps.database, sql);
    const response = await request();
    expect(response.statusCode, response.body).toBe(status);
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem.code, response.body).toBe(code);
    expect(problem.detail.length).toBeGreaterThan(10);
    expect(changedTables(before, await fingerprint(t.platform.deps.database, sql))).toEqual([]);
    return problem;
  }

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_RATE_LIMIT_PER_MINUTE: '0' } });
    ({ tokens, orgs } = await marketActors(t));
    fac.datong = await approvedFacility(t, tokens.supplierA, tokens.admin, facilityInput('大同测试智算中心', '140213', { greenPowerPct: 90, racksInUse: 600 }));
    fac.beijing = await approvedFacility(t, tokens.supplierB, tokens.admin, facilityInput('北京测试智算中心', '110105', { greenPowerPct: 20, racksInUse: 1800 }));
    fac.urumqi = await approvedFacility(t, tokens.supplierB, tokens.admin, facilityInput('乌鲁木齐测试智算中心', '650102', { greenPowerPct: 70 }));
    fac.planned = await approvedFacility(t, tokens.supplierA, tokens.admin, facilityInput('大同规划中心', '140213', { status: 'planned', racksInUse: 0 }));
    sql = await fingerprintStatement(t.platform.deps.database);
  });
  afterAll(async () => t?.close());

  it('lists offers on approved facilities, from a standard product or described in full', async () => {
    const datong = await as('supplierA', 'POST', '/api/v1/offers', { facilityId: fac.datong, product: 'gpu-h200-sxm', quantity: 64, window: WINDOW, pricePerUnit: 20, certifications: ['等保三级'] });
    expect(datong.statusCode, datong.body).toBe(201);
    const view = datong.json();
    expect(view).toMatchObject({ status: 'open', resourceKind: 'gpu', acceleratorModel: 'H200', unit: 'card_hour', quantityTotal: 64, quantityAvailable: 64, greenPowerPct: 90, product: 'gpu-h200-sxm', supplierReputation: 4, supplierRatings: 0 });
    expect(datong.headers.etag).toBe('"1"');
    offers.datong = view.id;
    const beijing = await as('supplierB', 'POST', '/api/v1/offers', { facilityId: fac.beijing, resourceKind: 'gpu', acceleratorModel: 'H200 SXM', quantity: 32, window: WINDOW, pricePerUnit: 28, unit: 'card_hour' });
    expect(beijing.statusCode, beijing.body).toBe(201);
    expect(beijing.json().acceleratorModel).toBe('H200'); // the alias resolves to the catalogue name
    offers.beijing = beijing.json().id;
    const urumqi = await as('supplierB', 'POST', '/api/v1/offers', { facilityId: fac.urumqi, product: 'gpu-h200-sxm', quantity: 128, window: WINDOW, pricePerUnit: 15 });
    expect(urumqi.statusCode, urumqi.body).toBe(201);
    offers.urumqi = urumqi.json().id;
    const short = await as('supplierA', 'POST', '/api/v1/offers', { facilityId: fac.datong, product: 'gpu-h200-sxm', quantity: 8, window: { start: WINDOW.start, end: '2026-03-05T00:00:00Z' }, pricePerUnit: 18 });
    expect(short.statusCode, short.body).toBe(201);
    offers.short = short.json().id;

    const list = await as('demander', 'GET', '/api/v1/offers?model=H200&sort=pricePerUnit&limit=2');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(4);
    expect(list.json().items.map((o: { pricePerUnit: number }) => o.pricePerUnit)).toEqual([15, 18]);
    const next = await as('demander', 'GET', `/api/v1/offers?model=H200&sort=pricePerUnit&limit=2&cursor=${list.json().nextCursor}`);
    expect(next.json().items.map((o: { pricePerUnit: number }) => o.pricePerUnit)).toEqual([20, 28]);
    expect(next.json().nextCursor).toBeNull();
    const shanxi = await as('demander', 'GET', '/api/v1/offers?region=140000');
    expect(shanxi.json().items.map((o: { id: string }) => o.id).sort()).toEqual([offers.datong, offers.short].sort());
    const priced = await as('demander', 'GET', '/api/v1/offers?model=H200&minPrice=16&maxPrice=25&sort=pricePerUnit');
    expect(priced.json().items.map((o: { pricePerUnit: number }) => o.pricePerUnit)).toEqual([18, 20]);
    const green = await as('demander', 'GET', '/api/v1/offers?minGreen=80');
    expect(green.json().items.map((o: { id: string }) => o.id).sort()).toEqual([offers.datong, offers.short].sort());
    expect((await t.inject('GET', '/api/v1/offers')).statusCode).toBe(401);
    const products = await t.inject('GET', '/api/v1/market/products');
    expect(products.json().items.find((p: { code: string }) => p.code === 'npu-910b')).toMatchObject({ resourceKind: 'npu', acceleratorModel: 'Ascend 910B' });
  });

  it('refuses bad offers with a code and a hint, writing nothing', async () => {
    const base = { facilityId: fac.datong, product: 'gpu-h200-sxm', quantity: 8, window: WINDOW, pricePerUnit: 20 };
    await rejected(() => as('supplierB', 'POST', '/api/v1/offers', base), 403, 'NOT_FACILITY_OWNER');
    await rejected(() => as('demander', 'POST', '/api/v1/offers', base), 403, 'NOT_A_SUPPLIER');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, facilityId: fac.planned }), 422, 'FACILITY_NOT_IN_OPERATION');
    const pending = await as('supplierA', 'POST', '/api/v1/registrations', { type: 'create', data: facilityInput('大同待审中心', '140213'), submit: true });
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, facilityId: pending.json().id }), 422, 'FACILITY_NOT_APPROVED');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, facilityId: 'fac_nope' }), 422, 'UNKNOWN_FACILITY');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, quantity: 0 }), 422, 'INVALID_QUANTITY');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, quantity: -5 }), 422, 'INVALID_QUANTITY');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, quantity: 600 }), 422, 'QUANTITY_EXCEEDS_INVENTORY');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, window: { start: WINDOW.end, end: WINDOW.start } }), 422, 'END_BEFORE_START');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, window: { start: '2025-01-01T00:00:00Z', end: '2025-02-01T00:00:00Z' } }), 422, 'WINDOW_IN_PAST');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, pricePerUnit: -1 }), 422, 'INVALID_PRICE');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, product: undefined, resourceKind: 'gpu', unit: 'card_hour', acceleratorModel: 'Z9000' }), 422, 'UNKNOWN_ACCELERATOR');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, product: undefined, resourceKind: 'gpu', unit: 'card_hour', acceleratorModel: 'A800' }), 422, 'ACCELERATOR_NOT_AT_FACILITY');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, product: undefined, resourceKind: 'cpu', unit: 'card_hour' }), 422, 'UNIT_NOT_FOR_KIND');
    await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, product: 'gpu-z9000' }), 422, 'UNKNOWN_PRODUCT');
    const many = await rejected(() => as('supplierA', 'POST', '/api/v1/offers', { ...base, quantity: 0, pricePerUnit: 0 }), 422, 'VALIDATION_FAILED');
    expect(many.errors.map((e: { code: string }) => e.code)).toEqual(['INVALID_QUANTITY', 'INVALID_PRICE']);
  });

  it('posts a demand and ranks the offers with every score broken into terms', async () => {
    const posted = await as('demander', 'POST', '/api/v1/demands', {
      title: '8 × H200, 72 h, 5 ms from 大同, under ¥30',
      hard: { acceleratorModel: 'H200' },
      count: 8,
      start: DEMAND_START,
      durationHours: 72,
      latency: { fromRegionCode: '140200', maxMs: 5 },
      maxPricePerUnit: 30,
      weights: { price: 2, latency: 0.5, green: 1, reputation: 1, utilisation: 1 },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    demandId = posted.json().id;
    expect(posted.json()).toMatchObject({ status: 'open', count: 8, end: '2026-03-05T00:00:00.000Z', regionCode: '140200', latency: { fromRegionName: '大同市', maxMs: 5 } });

    const response = await as('demander', 'GET', `/api/v1/demands/${demandId}/matches`);
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    // 乌鲁木齐 is ~21 ms away: excluded by latency, with the measured or estimated figure in words.
    expect(result.candidates.map((c: { offerId: string }) => c.offerId)).toEqual([offers.short, offers.datong, offers.beijing]);
    for (const c of result.candidates) {
      const sum = c.terms.price + c.terms.latency + c.terms.green + c.terms.reputation + c.terms.utilisation;
      expect(c.score).toBeCloseTo(sum, 5);
      expect(c.latencyMs).toBeLessThanOrEqual(5);
      expect(['measured', 'derived', 'estimated']).toContain(c.latencyBasis);
      expect(c.offer.id).toBe(c.offerId);
    }
    expect(result.candidates[1]).toMatchObject({ rank: 2, totalPrice: 11520, offer: { quantityAvailable: 64, facilityName: '大同测试智算中心' } });
    expect(result.candidates[1].terms.green).toBeCloseTo(0.9, 6);
    expect(result.excluded).toEqual([expect.objectContaining({ offerId: offers.urumqi, constraint: 'latency' })]);
    expect(result.excludedCounts.latency).toBe(1);
    expect(result.nearestMisses).toEqual([]);
    expect(result.message).toBeNull();

    // Nothing within 1 ms under ¥10: the nearest misses say which constraint to relax.
    const tight = await as('demander', 'POST', '/api/v1/demands', { hard: { acceleratorModel: 'H200' }, count: 8, start: DEMAND_START, durationHours: 72, latency: { fromRegionCode: '140200', maxMs: 5 }, maxPricePerUnit: 10 });
    const misses = (await as('demander', 'GET', `/api/v1/demands/${tight.json().id}/matches`)).json();
    expect(misses.candidates).toEqual([]);
    expect(misses.nearestMisses.length).toBeGreaterThan(0);
    expect(misses.nearestMisses[0]).toMatchObject({ constraint: 'price' });
    expect(misses.hints[0]).toMatchObject({ constraint: 'price', parameter: 'maxPricePerUnit', to: 18 });
    expect(misses.message).toMatch(/relax maxPricePerUnit to 18/);
  });

  it("takes one-way latency from monitoring's round trips: half a measured or derived RTT, else the one-way estimate", async () => {
    const matches = async () => (await as('demander', 'GET', `/api/v1/demands/${demandId}/matches`)).json();
    const before = await matches();
    expect(before.candidates.every((c: { latencyBasis: string }) => c.latencyBasis === 'estimated')).toBe(true);
    // Probes: the 大同 facility → 大同's PoP 1.6 ms round trip; 大同's PoP ↔ 北京's PoP 9 ms round trip.
    const at = clock.now().getTime();
    await networkStore(t.platform.deps.db).insertMeasurements([
      { source: fac.datong, target: '140200', sourceKind: 'facility', targetKind: 'city', rttMs: 1.6, samples: 60, origin: 'probe', measuredAt: at },
      { source: '140200', target: '110100', sourceKind: 'city', targetKind: 'city', rttMs: 9, samples: 60, origin: 'probe', measuredAt: at },
    ]);
    const after = await matches();
    const byOffer = new Map(after.candidates.map((c: { offerId: string }) => [c.offerId, c]));
    expect(byOffer.get(offers.datong)).toMatchObject({ latencyMs: 0.8, latencyBasis: 'measured' });
    // 北京's facility: the measured city pair plus its access leg beyond the fixed overhead, halved: just over 4.5 ms, within the 5 ms bound.
    const beijing = byOffer.get(offers.beijing) as { latencyMs: number; latencyBasis: string };
    expect(beijing.latencyBasis).toBe('derived');
    expect(beijing.latencyMs).toBeGreaterThanOrEqual(4.5);
    expect(beijing.latencyMs).toBeLessThan(5);
    expect(after.excluded).toEqual([expect.objectContaining({ offerId: offers.urumqi, constraint: 'latency' })]);
    await t.platform.deps.database.query('delete from network_latency');
    expect((await matches()).candidates.every((c: { latencyBasis: string }) => c.latencyBasis === 'estimated')).toBe(true);
  });

  it('refuses impossible demands with a code and a hint', async () => {
    const base = { hard: { acceleratorModel: 'H200' }, count: 8, start: DEMAND_START, durationHours: 72 };
    await rejected(() => as('demander', 'POST', '/api/v1/demands', { ...base, hard: { acceleratorModel: 'Z9000' } }), 422, 'UNKNOWN_ACCELERATOR');
    await rejected(() => as('demander', 'POST', '/api/v1/demands', { ...base, count: 0 }), 422, 'INVALID_QUANTITY');
    await rejected(() => as('demander', 'POST', '/api/v1/demands', { ...base, durationHours: undefined, end: '2026-03-01T12:00:00Z' }), 422, 'END_BEFORE_START');
    await rejected(() => as('demander', 'POST', '/api/v1/demands', { ...base, maxPricePerUnit: -1 }), 422, 'INVALID_PRICE');
    await rejected(() => as('demander', 'POST', '/api/v1/demands', { ...base, hard: {} }), 422, 'HARD_REQUIREMENT_REQUIRED');
    await rejected(() => as('supplierA', 'POST', '/api/v1/demands', base), 403, 'NOT_A_DEMANDER');
  });

  let orderId = '';

  it('orders with an Idempotency-Key: capacity reserved in the same transaction, the same key returns the same order', async () => {
    await rejected(() => as('demander', 'POST', '/api/v1/orders', { offerId: offers.datong, demandId }), 428, 'IDEMPOTENCY_KEY_REQUIRED');
    const first = await order('demander', 'key-1', { offerId: offers.datong, demandId });
    expect(first.statusCode, first.body).toBe(201);
    orderId = first.json().id;
    expect(first.json()).toMatchObject({ state: 'reserved', quantity: 8, start: DEMAND_START, end: '2026-03-05T00:00:00.000Z', unitPrice: 20, totalAmount: 11520, buyerOrgId: orgs.demander, supplierOrgId: orgs.supplierA });
    const replay = await order('demander', 'key-1', { offerId: offers.datong, demandId });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(orderId);
    const reused = await rejected(() => order('demander', 'key-1', { offerId: offers.datong, demandId, quantity: 9 }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(reused.orderId).toBe(orderId);
    // Keys are per buying organisation: another buyer's key-1 is a new order.
    const other = await order('demander2', 'key-1', { offerId: offers.datong, quantity: 1, start: DEMAND_START, end: '2026-03-03T00:00:00Z' });
    expect(other.statusCode, other.body).toBe(201);
    expect((await as('demander2', 'POST', `/api/v1/orders/${other.json().id}/cancel`, {})).statusCode).toBe(200);

    const offer = (await as('demander', 'GET', `/api/v1/offers/${offers.datong}?start=${DEMAND_START}&end=2026-03-05T00:00:00Z`)).json();
    expect(offer.quantityAvailable).toBe(56);
    expect((await as('demander', 'GET', `/api/v1/demands/${demandId}`)).json().status).toBe('ordered');
    // The match now sees 56 free cards on that offer.
    const matched = (await as('demander', 'GET', `/api/v1/demands/${demandId}/matches`)).json();
    expect(matched.candidates.find((c: { offerId: string }) => c.offerId === offers.datong).offer.quantityAvailable).toBe(56);
  });

  it('refuses orders beyond the remaining capacity, against an expired offer, and other bad orders — reserving nothing', async () => {
    const window = { start: DEMAND_START, end: '2026-03-05T00:00:00Z' };
    const tooMany = await rejected(() => order('demander', 'key-big', { offerId: offers.datong, quantity: 57, ...window }), 409, 'INSUFFICIENT_CAPACITY');
    expect(tooMany).toMatchObject({ remaining: 56, requested: 57 });
    await rejected(() => order('demander', 'key-zero', { offerId: offers.datong, quantity: 0, ...window }), 422, 'INVALID_QUANTITY');
    await rejected(() => order('demander', 'key-neg', { offerId: offers.datong, quantity: -3, ...window }), 422, 'INVALID_QUANTITY');
    await rejected(() => order('demander', 'key-back', { offerId: offers.datong, quantity: 1, start: window.end, end: window.start }), 422, 'END_BEFORE_START');
    await rejected(() => order('demander', 'key-out', { offerId: offers.datong, quantity: 1, start: DEMAND_START, end: '2026-07-01T00:00:00Z' }), 422, 'OUTSIDE_OFFER_WINDOW');
    await rejected(() => order('demander', 'key-none', { offerId: 'off_nope', quantity: 1, ...window }), 422, 'UNKNOWN_OFFER');
    await rejected(() => order('supplierA', 'key-sup', { offerId: offers.datong, quantity: 1, ...window }), 403, 'NOT_A_DEMANDER');
    await rejected(() => order('demander', 'key bad', { offerId: offers.datong, quantity: 1, ...window }), 400, 'INVALID_IDEMPOTENCY_KEY');
    clock.set('2026-03-06T00:00:00Z');
    try {
      const expired = await rejected(() => order('demander', 'key-exp', { offerId: offers.short, quantity: 1, start: '2026-03-06T00:00:00Z', end: '2026-03-07T00:00:00Z' }), 409, 'OFFER_EXPIRED');
      expect(expired.expiredAt).toBe('2026-03-05T00:00:00.000Z');
      await rejected(() => order('demander', 'key-past', { offerId: offers.datong, quantity: 1, start: '2026-03-02T00:00:00Z', end: '2026-03-07T00:00:00Z' }), 422, 'START_IN_PAST');
      expect((await as('demander', 'GET', `/api/v1/offers/${offers.short}`)).json().status).toBe('expired');
    } finally {
      clock.set('2026-03-01T00:00:00Z');
    }
  });

  it('cancelling releases the capacity at once', async () => {
    const cancelled = await as('demander', 'POST', `/api/v1/orders/${orderId}/cancel`, { reason: '计划变更' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', reason: '计划变更' });
    const offer = (await as('demander', 'GET', `/api/v1/offers/${offers.datong}?start=${DEMAND_START}&end=2026-03-05T00:00:00Z`)).json();
    expect(offer.quantityAvailable).toBe(64);
    await rejected(() => as('demander', 'POST', `/api/v1/orders/${orderId}/cancel`, {}), 409, 'INVALID_ORDER_STATE');
  });

  let completedId = '';

  it('quotes, confirms, activates, completes with settlement lines and a statement', async () => {
    const quote = await order('demander', 'key-q', { offerId: offers.datong, demandId, quote: true });
    expect(quote.statusCode, quote.body).toBe(201);
    expect(quote.json()).toMatchObject({ state: 'quote', quoteExpiresAt: '2026-03-02T00:00:00.000Z', totalAmount: 11520 });
    // A quote reserves nothing.
    expect((await as('demander', 'GET', `/api/v1/offers/${offers.datong}?start=${DEMAND_START}&end=2026-03-05T00:00:00Z`)).json().quantityAvailable).toBe(64);
    const id = quote.json().id;
    const confirmed = await as('demander', 'POST', `/api/v1/orders/${id}/confirm`);
    expect(confirmed.json()).toMatchObject({ state: 'reserved' });
    expect((await as('demander', 'GET', `/api/v1/offers/${offers.datong}?start=${DEMAND_START}&end=2026-03-05T00:00:00Z`)).json().quantityAvailable).toBe(56);
    await rejected(() => as('demander', 'POST', `/api/v1/orders/${id}/activate`), 403, 'NOT_THE_SUPPLIER');
    const active = await as('supplierA', 'POST', `/api/v1/orders/${id}/activate`);
    expect(active.json().state).toBe('active');
    await rejected(() => as('demander', 'POST', `/api/v1/orders/${id}/cancel`, {}), 409, 'INVALID_ORDER_STATE');
    clock.set('2026-03-06T00:00:00Z');
    try {
      const completed = await as('supplierA', 'POST', `/api/v1/orders/${id}/complete`);
      expect(completed.statusCode, completed.body).toBe(200);
      expect(completed.json()).toMatchObject({ state: 'completed', settledAmount: 11520 });
    } finally {
      clock.set('2026-03-01T00:00:00Z');
    }
    completedId = id;
    // A quote holds its price for 24 hours, then it can no longer be confirmed.
    const stale = await order('demander', 'key-stale', { offerId: offers.beijing, quantity: 1, start: '2026-03-10T00:00:00Z', end: '2026-03-11T00:00:00Z', quote: true });
    clock.set('2026-03-02T00:00:01Z');
    try {
      await rejected(() => as('demander', 'POST', `/api/v1/orders/${stale.json().id}/confirm`), 409, 'QUOTE_EXPIRED');
    } finally {
      clock.set('2026-03-01T00:00:00Z');
    }
    const statement = (await as('demander', 'GET', `/api/v1/orders/${id}/statement`)).json();
    expect(statement.lines.map((l: { period: string; quantity: number; amount: number }) => [l.period, l.quantity, l.amount])).toEqual([
      ['2026-03-02', 192, 3840],
      ['2026-03-03', 192, 3840],
      ['2026-03-04', 192, 3840],
    ]);
    expect(statement.total).toBe(11520);
    const csv = await as('demander', 'GET', `/api/v1/orders/${id}/statement?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('2026-03-03');
    expect(csv.body.trim().split('\r\n')).toHaveLength(5);
    expect(csv.body).toContain('total');
  });

  it('bills metered use when the supplier reports it', async () => {
    const placed = await order('demander', 'key-metered', { offerId: offers.beijing, quantity: 4, start: DEMAND_START, end: '2026-03-03T00:00:00Z' });
    const id = placed.json().id;
    await as('supplierB', 'POST', `/api/v1/orders/${id}/activate`);
    await rejected(() => as('supplierB', 'POST', `/api/v1/orders/${id}/usage`, { periodStart: DEMAND_START, periodEnd: '2026-03-02T12:00:00Z', quantity: 49 }), 422, 'USAGE_EXCEEDS_RESERVATION');
    const used = await as('supplierB', 'POST', `/api/v1/orders/${id}/usage`, { periodStart: DEMAND_START, periodEnd: '2026-03-02T12:00:00Z', quantity: 30 });
    expect(used.statusCode, used.body).toBe(201);
    const completed = await as('demander', 'POST', `/api/v1/orders/${id}/complete`);
    expect(completed.json()).toMatchObject({ state: 'completed', settledAmount: 30 * 28 });
    const disputed = await as('demander', 'POST', `/api/v1/orders/${id}/dispute`, { reason: '实际用量有误' });
    expect(disputed.json()).toMatchObject({ state: 'disputed', reason: '实际用量有误' });
  });

  it('lets the buyer rate a completed order once; the rating moves the supplier reputation the ranking uses', async () => {
    await rejected(() => as('supplierA', 'POST', `/api/v1/orders/${completedId}/rating`, { stars: 5 }), 403, 'NOT_THE_BUYER');
    await rejected(() => as('demander', 'POST', `/api/v1/orders/${completedId}/rating`, { stars: 6 }), 422, 'INVALID_STARS');
    const rated = await as('demander', 'POST', `/api/v1/orders/${completedId}/rating`, { stars: 5, comment: '交付顺利' });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ stars: 5, supplierReputation: 4.25, supplierRatings: 1 });
    await rejected(() => as('demander', 'POST', `/api/v1/orders/${completedId}/rating`, { stars: 1 }), 409, 'ALREADY_RATED');
    const offer = (await as('demander2', 'GET', `/api/v1/offers/${offers.datong}`)).json();
    expect(offer).toMatchObject({ supplierReputation: 4.25, supplierRatings: 1 });
    const matched = (await as('demander', 'GET', `/api/v1/demands/${demandId}/matches`)).json();
    const datong = matched.candidates.find((c: { offerId: string }) => c.offerId === offers.datong);
    expect(datong.terms.reputation).toBeCloseTo(4.25 / 5, 6);
    const order = (await as('demander', 'GET', `/api/v1/orders/${completedId}`)).json();
    expect(order.rating).toMatchObject({ stars: 5, comment: '交付顺利' });
  });

  it('shows an order only to its parties, the government of its region and administrators', async () => {
    for (const who of ['demander', 'supplierA', 'shanxi', 'national', 'admin']) expect((await as(who, 'GET', `/api/v1/orders/${completedId}`)).statusCode, who).toBe(200);
    for (const who of ['supplierB', 'jiangsu', 'demander2', 'provider']) expect((await as(who, 'GET', `/api/v1/orders/${completedId}`)).statusCode, who).toBe(404);
    const ids = async (who: string, query = '') => (await as(who, 'GET', `/api/v1/orders${query}`)).json().items.map((o: { id: string }) => o.id);
    expect(await ids('supplierA')).toContain(completedId);
    expect(await ids('supplierA', '?role=buyer')).not.toContain(completedId);
    expect(await ids('supplierB')).not.toContain(completedId);
    expect(await ids('shanxi')).toContain(completedId);
    expect(await ids('jiangsu')).toEqual([]);
    expect((await as('jiangsu', 'GET', '/api/v1/orders?region=140000')).statusCode).toBe(403);
    // Demands: the demander's own; 山西 sees the one naming 大同; 江苏 and suppliers do not.
    expect((await as('shanxi', 'GET', `/api/v1/demands/${demandId}`)).statusCode).toBe(200);
    expect((await as('jiangsu', 'GET', `/api/v1/demands/${demandId}`)).statusCode).toBe(404);
    expect((await as('supplierA', 'GET', `/api/v1/demands/${demandId}/matches`)).statusCode).toBe(404);
    expect((await as('supplierA', 'GET', '/api/v1/demands')).json().total).toBe(0);
    // Statements follow the order.
    expect((await as('supplierB', 'GET', `/api/v1/orders/${completedId}/statement`)).statusCode).toBe(404);
    expect((await as('shanxi', 'GET', `/api/v1/orders/${completedId}/statement?format=csv`)).statusCode).toBe(200);
  });

  it('records every state change in the audit chain', async () => {
    const entries = (await as('admin', 'GET', `/api/v1/audit/entries?objectType=order&objectId=${completedId}`)).json().items.map((e: { action: string }) => e.action);
    expect(entries).toEqual(['quoted', 'reserved', 'activated', 'completed', 'rated']);
    const offerEntries = (await as('admin', 'GET', `/api/v1/audit/entries?objectType=offer&objectId=${offers.datong}`)).json().items.map((e: { action: string }) => e.action);
    expect(offerEntries).toEqual(['created']);
  });

  it('lets a supplier change its offer under If-Match, never below what orders hold, and withdraw it', async () => {
    const held = await order('demander', 'key-hold', { offerId: offers.datong, quantity: 40, start: DEMAND_START, end: '2026-03-03T00:00:00Z' });
    expect(held.statusCode, held.body).toBe(201);
    const current = (await as('supplierA', 'GET', `/api/v1/offers/${offers.datong}`)).json();
    await rejected(() => as('supplierA', 'PATCH', `/api/v1/offers/${offers.datong}`, { pricePerUnit: 21 }), 428, 'PRECONDITION_REQUIRED');
    await rejected(() => as('supplierA', 'PATCH', `/api/v1/offers/${offers.datong}`, { quantity: 39 }, { 'if-match': `"${current.version}"` }), 409, 'CAPACITY_IN_USE');
    await rejected(() => as('supplierB', 'PATCH', `/api/v1/offers/${offers.datong}`, { pricePerUnit: 21 }, { 'if-match': `"${current.version}"` }), 403, 'NOT_OFFER_OWNER');
    const changed = await as('supplierA', 'PATCH', `/api/v1/offers/${offers.datong}`, { pricePerUnit: 21, quantity: 48 }, { 'if-match': `"${current.version}"` });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ pricePerUnit: 21, quantityTotal: 48, version: current.version + 1 });
    // The order keeps its price.
    expect((await as('demander', 'GET', `/api/v1/orders/${held.json().id}`)).json().unitPrice).toBe(20);
    await rejected(() => as('supplierA', 'PATCH', `/api/v1/offers/${offers.datong}`, { pricePerUnit: 22 }, { 'if-match': `"${current.version}"` }), 412, 'PRECONDITION_FAILED');
    const withdrawn = await as('supplierA', 'POST', `/api/v1/offers/${offers.datong}/withdraw`);
    expect(withdrawn.json().status).toBe('withdrawn');
    await rejected(() => order('demander', 'key-withdrawn', { offerId: offers.datong, quantity: 1, start: DEMAND_START, end: '2026-03-03T00:00:00Z' }), 409, 'OFFER_WITHDRAWN');
    // The order placed before the withdrawal stands.
    expect((await as('demander', 'GET', `/api/v1/orders/${held.json().id}`)).json().state).toBe('reserved');
  });

  it('lists services of providers attached to offers', async () => {
    const created = await as('provider', 'POST', '/api/v1/services', { kind: 'fine_tuning', name: 'Qwen 精调托管', offerIds: [offers.beijing, offers.urumqi], pricePerUnit: 5000, unit: 'project' });
    expect(created.statusCode, created.body).toBe(201);
    await rejected(() => as('provider', 'POST', '/api/v1/services', { kind: 'fine_tuning', name: 'x', offerIds: ['off_nope'] }), 422, 'UNKNOWN_OFFER');
    await rejected(() => as('demander', 'POST', '/api/v1/services', { kind: 'fine_tuning', name: 'x' }), 403, 'NOT_A_PROVIDER');
    const byOffer = (await as('demander', 'GET', `/api/v1/services?offerId=${offers.urumqi}`)).json();
    expect(byOffer.items.map((s: { id: string }) => s.id)).toEqual([created.json().id]);
  });

  it('assigns open demands in a batch for a government, against the LP bound', async () => {
    for (let i = 0; i < 3; i++) {
      const posted = await as('demander2', 'POST', '/api/v1/demands', { hard: { acceleratorModel: 'H200' }, count: 16 + i, start: '2026-03-10T00:00:00Z', durationHours: 24, latency: { fromRegionCode: '110105', maxMs: 30 } });
      expect(posted.statusCode, posted.body).toBe(201);
    }
    const batch = await as('national', 'POST', '/api/v1/matching/batch', { objective: 'score' });
    expect(batch.statusCode, batch.body).toBe(200);
    const result = batch.json();
    expect(result.demands).toBeGreaterThanOrEqual(3);
    expect(result.served).toBeGreaterThan(0);
    expect(result.objective).toBeLessThanOrEqual(result.bound + 1e-6);
    expect(result.objective).toBeGreaterThanOrEqual(result.greedyObjective - 1e-6);
    await rejected(() => as('demander', 'POST', '/api/v1/matching/batch', {}), 403, 'NOT_A_GOVERNMENT');
    const shanxiDemand = (await as('demander', 'POST', '/api/v1/demands', { hard: { acceleratorModel: 'H200' }, count: 4, start: '2026-03-10T00:00:00Z', durationHours: 24, latency: { fromRegionCode: '140200', maxMs: 5 } })).json().id;
    const chosen = await as('shanxi', 'POST', '/api/v1/matching/batch', { demandIds: [shanxiDemand], objective: 'cost' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({ objectiveKind: 'cost', demands: 1, served: 1 });
    await rejected(() => as('jiangsu', 'POST', '/api/v1/matching/batch', { demandIds: [shanxiDemand] }), 422, 'UNKNOWN_DEMAND');
    await rejected(() => as('shanxi', 'POST', '/api/v1/matching/batch', { demandIds: [demandId] }), 422, 'DEMAND_NOT_OPEN');
    const jiangsu = (await as('jiangsu', 'POST', '/api/v1/matching/batch', {})).json();
    expect(jiangsu.demands).toBe(0);
  });
});
