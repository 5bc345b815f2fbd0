import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, pushBatch } from './push.ts';

const sample = [{ metric: 'node_load1', labels: {}, ts: 1, value: 1 }];
const answer = (status: number, body: unknown = {}, headers: Record<string, string> = {}) =>
  (async () => new Response(JSON.stringify(body), { status, headers })) as unknown as typeof fetch;

describe('pushing a batch', () => {
  it('posts the samples with the token', async () => {
    let seen: Request | undefined;
    const fetchFn = (async (url: URL, init: RequestInit) => {
      seen = new Request(url, init);
      return new Response(JSON.stringify({ inserted: 1 }), { status: 200 });
    }) as unknown as typeof fetch;
    expect(await pushBatch(fetchFn, 'http://platform:8080/', 'sli_x', sample, 0)).toEqual({ kind: 'sent', inserted: 1 });
    expect(seen!.url).toBe('http://platform:8080/api/v1/metrics');
    expect(seen!.headers.get('authorization')).toBe('Bearer sli_x');
    expect(await seen!.json()).toEqual({ samples: sample });
  });

  it('retries on connection failures, 5xx and 429 (honouring Retry-After), drops other 4xx, stops on 401', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as unknown as typeof fetch;
    expect(await pushBatch(refused, 'http://p', 't', sample, 0)).toEqual({ kind: 'retry', reason: 'platform unreachable (ECONNREFUSED)' });
    expect(await pushBatch(answer(503, { code: 'STORAGE_UNAVAILABLE' }, { 'retry-after': '5' }), 'http://p', 't', sample, 0)).toMatchObject({ kind: 'retry', retryAfterMs: 5000 });
    expect(await pushBatch(answer(429, {}, { 'retry-after': '7' }), 'http://p', 't', sample, 0)).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
    expect(await pushBatch(answer(400, { code: 'TIMESTAMP_IN_FUTURE', detail: 'check NTP' }), 'http://p', 't', sample, 0)).toEqual({ kind: 'rejected', reason: 'HTTP 400: TIMESTAMP_IN_FUTURE check NTP' });
    expect(await pushBatch(answer(401, { code: 'INVALID_INGEST_TOKEN' }), 'http://p', 't', sample, 0)).toMatchObject({ kind: 'unauthorized' });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:30 GMT', 10_000)).toBe(20_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('backs off exponentially with jitter up to 5 minutes', () => {
    expect([1, 2, 3, 4].map((f) => backoffMs(f, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(3, () => 0)).toBe(2000);
    expect(backoffMs(30, () => 1)).toBe(300_000);
    expect(backoffMs(30, () => 0)).toBe(150_000);
  });
});
