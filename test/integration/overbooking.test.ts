import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { approvedFacility, facilityInput, marketActors } from './market-fixtures.ts';

// No overbooking under any concurrency: 1,000 order requests sent at once over real HTTP (a server
// listening on 127.0.0.1) against an offer of 100 cards. Exactly 100 are accepted, the other 900 get
// 409 INSUFFICIENT_CAPACITY, and the database holds exactly 100 cards reserved. Runs on PGlite
// (npm test) and PostgreSQL (npm run test:pg), where the orders race through a pool of connections.

const clock = manualClock('2026-03-01T00:00:00Z');
const REQUESTS = 1000;
const CAPACITY = 100;
const WINDOW = { start: '2026-03-02T00:00:00Z', end: '2026-03-05T00:00:00Z' };

describe(`overbooking under concurrency (${databaseKind})`, () => {
  let t: TestPlatform;
  let base = '';
  let tokens: Record<string, string> = {};
  let orgs: Record<string, string> = {};
  let offerId = '';

  const post = (token: string, key: string, body: object) =>
    fetch(`${base}/api/v1/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { id?: string; code?: string; remaining?: number },
    }));

  const reservedInDatabase = async (id: string) =>
    (await t.platform.deps.database.query<{ n: number }>(`select coalesce(sum(quantity), 0)::int as n from market_orders where offer_id = $1 and state in ('reserved', 'active')`, [id]))[0].n;

  const newOffer = async (quantity: number) => {
    const response = await t.inject('POST', '/api/v1/offers', { token: tokens.supplierA, body: { facilityId: fac, product: 'gpu-h200-sxm', quantity, window: { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' }, pricePerUnit: 20 } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };
  let fac = '';

  beforeAll(async () => {
    t = await createTestPlatform({ clock, env: { SUANLI_RATE_LIMIT_PER_MINUTE: '0' } });
    ({ tokens, orgs } = await marketActors(t));
    fac = await approvedFacility(t, tokens.supplierA, tokens.admin, facilityInput('大同并发测试中心', '140213'));
    offerId = await newOffer(CAPACITY);
    // A listen backlog above the 1,000 connections that arrive at once (Node's default is 511).
    base = await t.platform.app.listen({ port: 0, host: '127.0.0.1', backlog: 2048 });
  });
  afterAll(async () => t?.close());

  it(`accepts exactly ${CAPACITY} of ${REQUESTS} concurrent orders for one card each; the rest get 409 with what remains`, { timeout: 300_000 }, async () => {
    const buyers = [tokens.demander, tokens.demander2];
    const results = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => post(buyers[i % 2], `race-${i}`, { offerId, quantity: 1, ...WINDOW })));
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: CAPACITY, 409: REQUESTS - CAPACITY });
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'INSUFFICIENT_CAPACITY', remaining: 0 });
    expect(new Set(results.filter((x) => x.status === 201).map((x) => x.body.id)).size).toBe(CAPACITY);
    expect(await reservedInDatabase(offerId)).toBe(CAPACITY);
    const offer = (await t.inject('GET', `/api/v1/offers/${offerId}?start=${WINDOW.start}&end=${WINDOW.end}`, { token: tokens.demander })).json();
    expect(offer.quantityAvailable).toBe(0);
  });

  it('never books more than the capacity with mixed quantities and overlapping windows', { timeout: 300_000 }, async () => {
    const id = await newOffer(CAPACITY);
    // Three windows: day 2, day 3, and days 2–3 overlapping both; quantities 1–7.
    const windows = [
      { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' },
      { start: '2026-03-03T00:00:00Z', end: '2026-03-04T00:00:00Z' },
      { start: '2026-03-02T12:00:00Z', end: '2026-03-03T12:00:00Z' },
    ];
    const requests = Array.from({ length: 300 }, (_, i) => ({ quantity: 1 + (i % 7), ...windows[i % 3] }));
    const results = await Promise.all(requests.map((body, i) => post(tokens.demander, `mixed-${i}`, { offerId: id, ...body })));
    expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'INSUFFICIENT_CAPACITY'))).toBe(true);
    // At every instant the accepted orders together hold at most the capacity.
    const accepted = requests.filter((_, i) => results[i].status === 201);
    for (const at of ['2026-03-02T06:00:00Z', '2026-03-02T18:00:00Z', '2026-03-03T06:00:00Z', '2026-03-03T18:00:00Z']) {
      const held = accepted.filter((r) => Date.parse(r.start) <= Date.parse(at) && Date.parse(at) < Date.parse(r.end)).reduce((s, r) => s + r.quantity, 0);
      expect(held, at).toBeLessThanOrEqual(CAPACITY);
    }
    // And the capacity was used: a rejection came only when the free units were fewer than asked.
    for (const [i, r] of results.entries()) if (r.status === 409) expect(r.body.remaining!, `request ${i}`).toBeLessThan(requests[i].quantity);
  });

  it('creates one order for many concurrent retries of the same request (same Idempotency-Key)', { timeout: 120_000 }, async () => {
    const id = await newOffer(10);
    const results = await Promise.all(Array.from({ length: 50 }, () => post(tokens.demander, 'retry-same', { offerId: id, quantity: 3, ...WINDOW })));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    expect(await reservedInDatabase(id)).toBe(3);
  });

  it('answers every retry of a request as the request itself was answered, while others race for the same capacity', { timeout: 120_000 }, async () => {
    const id = await newOffer(3);
    const retries = Array.from({ length: 30 }, () => ({ key: 'contested', token: tokens.demander }));
    const rivals = Array.from({ length: 30 }, (_, i) => ({ key: `rival-${i}`, token: tokens.demander2 }));
    const all = [...retries, ...rivals].sort((a, b) => (a.key === b.key ? 0 : a.key < b.key ? -1 : 1));
    const results = await Promise.all(all.map((r) => post(r.token, r.key, { offerId: id, quantity: 3, ...WINDOW }).then((res) => ({ ...res, key: r.key }))));
    const mine = results.filter((r) => r.key === 'contested');
    const stored = await t.platform.deps.database.query<{ id: string }>(`select id from market_orders where idempotency_key = 'contested' and buyer_org_id = $1`, [orgs.demander]);
    if (stored.length === 1) {
      // The request won the capacity: every retry returns that one order.
      expect(mine.filter((r) => r.status === 201)).toHaveLength(1);
      expect(mine.every((r) => (r.status === 201 || r.status === 200) && r.body.id === stored[0].id)).toBe(true);
    } else {
      // A rival won: every retry is refused alike, and no order carries the key.
      expect(stored).toEqual([]);
      expect(mine.every((r) => r.status === 409 && r.body.code === 'INSUFFICIENT_CAPACITY')).toBe(true);
    }
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await reservedInDatabase(id)).toBe(3);
  });

  it('releases capacity on cancellation, and a freed unit can be taken exactly once', { timeout: 120_000 }, async () => {
    const holding = (await t.platform.deps.database.query<{ id: string }>(`select id from market_orders where offer_id = $1 and state = 'reserved' and buyer_org_id = $2 order by id limit 1`, [offerId, orgs.demander]))[0];
    const cancelled = await t.inject('POST', `/api/v1/orders/${holding.id}/cancel`, { token: tokens.demander, body: {} });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await reservedInDatabase(offerId)).toBe(CAPACITY - 1);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => post(tokens.demander2, `refill-${i}`, { offerId, quantity: 1, ...WINDOW })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await reservedInDatabase(offerId)).toBe(CAPACITY);
  });
});
