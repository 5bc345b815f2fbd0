import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';
import { encoded, remoteWriteHeaders, supplierWithFacility, writeRequest } from './monitoring-fixtures.ts';

describe(`monitoring ingest and query (${databaseKind})`, () => {
  let t: TestPlatform;
  let admin = '';
  let supplier = { orgId: '', token: '', facilityId: '' };
  let other = { orgId: '', token: '', facilityId: '' };
  let ingestToken = '';
  let ingestTokenId = '';
  const samplesStored = async () => (await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from metric_samples'))[0].n;
  const write = (body: Buffer | string, token = ingestToken, headers: Record<string, string> = {}) =>
    t.inject('POST', '/api/v1/write', { payload: body, headers: { ...remoteWriteHeaders(token), ...headers } });
  const expectProblem = (response: { statusCode: number; headers: Record<string, unknown>; json: () => any }, status: number, code: string) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe(code);
  };

  beforeAll(async () => {
    // No rollup timer: the range queries below are answered from raw samples only.
    t = await createTestPlatform({ env: { SUANLI_ROLLUP_INTERVAL_SECONDS: '0' } });
    admin = await t.login('admin', 'Root-Test-Pass-1');
    supplier = await supplierWithFacility(t, admin, 'a');
    other = await supplierWithFacility(t, admin, 'b', '320505');
  });
  afterAll(async () => t?.close());

  it('lets the owner create ingestion tokens and shows the secret only once', async () => {
    const created = await t.inject('POST', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`, { token: supplier.token, body: { name: 'prometheus-1' } });
    expect(created.statusCode, created.body).toBe(201);
    ingestToken = created.json().token;
    ingestTokenId = created.json().id;
    expect(ingestToken).toMatch(/^sli_/);
    const list = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`, { token: supplier.token });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(ingestToken);
    expect(list.json().items[0]).toMatchObject({ id: ingestTokenId, name: 'prometheus-1', revokedAt: null });
  });

  it("refuses another organisation's user and unauthenticated callers", async () => {
    const foreign = await t.inject('POST', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`, { token: other.token, body: {} });
    expectProblem(foreign, 404, 'NOT_FOUND');
    const anonymous = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`);
    expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    const byAdmin = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`, { token: admin });
    expect(byAdmin.statusCode).toBe(200);
  });

  const now = Date.now();
  const request = writeRequest(now, 3, 10);

  it('stores a remote_write of 3 series × 10 samples and answers 204 after the commit', async () => {
    const response = await write(encoded(request));
    expect(response.statusCode, response.body).toBe(204);
    expect(await samplesStored()).toBe(30);
    const series = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/series?metric=node_load1&from=${new Date(now - 600_000).toISOString()}&to=${new Date(now + 1000).toISOString()}`, { token: supplier.token });
    expect(series.statusCode, series.body).toBe(200);
    const body = series.json();
    expect(body.resolution).toBe('raw');
    expect(body.series).toHaveLength(3);
    const first = body.series.find((s: { labels: Record<string, string> }) => s.labels.instance === '10.0.0.1:9100');
    expect(first.labels).toEqual({ instance: '10.0.0.1:9100', job: 'node' });
    expect(first.points).toHaveLength(10);
    expect(first.points[9]).toEqual({ ts: new Date(now).toISOString(), value: 0.9 });
  });

  it('stores nothing twice when the same request is retried', async () => {
    const again = await write(encoded(request));
    expect(again.statusCode).toBe(204);
    expect(await samplesStored()).toBe(30);
  });

  it('keeps the latest sample of every series', async () => {
    const latest = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/metrics/latest?metric=node_load1`, { token: supplier.token });
    expect(latest.statusCode, latest.body).toBe(200);
    expect(latest.json().items).toHaveLength(3);
    for (const item of latest.json().items) expect(item.ts).toBe(new Date(now).toISOString());
    // An older sample does not move the latest back.
    expect((await write(encoded(writeRequest(now - 3_600_000, 3, 1)))).statusCode).toBe(204);
    const after = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/metrics/latest?metric=node_load1`, { token: supplier.token });
    for (const item of after.json().items) expect(item.ts).toBe(new Date(now).toISOString());
  });

  it('moves the latest value of a raw exporter series at most once a minute, of a vocabulary series every time', async () => {
    const latestOf = async (metric: string) =>
      (await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/metrics/latest?metric=${metric}`, { token: supplier.token })).json().items.map((i: { ts: string }) => i.ts);
    const base = now - 300_000;
    const both = (ts: number) => ({
      timeseries: [
        { labels: [{ name: '__name__', value: 'node_load5' }, { name: 'instance', value: 'h1:9100' }], samples: [{ value: 1, timestamp: ts }] },
        { labels: [{ name: '__name__', value: 'it_power_kw' }, { name: 'instance', value: 'h1:9100' }], samples: [{ value: 2, timestamp: ts }] },
      ],
    });
    for (const offset of [0, 15_000, 30_000]) expect((await write(encoded(both(base + offset)))).statusCode).toBe(204);
    expect(await latestOf('node_load5')).toEqual([new Date(base).toISOString()]);
    expect(await latestOf('it_power_kw')).toEqual([new Date(base + 30_000).toISOString()]);
    expect((await write(encoded(both(base + 60_000)))).statusCode).toBe(204);
    expect(await latestOf('node_load5')).toEqual([new Date(base + 60_000).toISOString()]);
    // Every sample is stored all the same.
    const series = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/series?metric=node_load5&from=${new Date(base - 1000).toISOString()}&to=${new Date(base + 61_000).toISOString()}`, { token: supplier.token });
    expect(series.json().series[0].points).toHaveLength(4);
  });

  it('refuses a request whose new series has a bad label, beside known ones, and stores nothing of it', async () => {
    const seriesBefore = (await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from metric_series'))[0].n;
    const samplesBefore = await samplesStored();
    const known = writeRequest(now + 2000, 3, 1).timeseries;
    const fresh = { labels: [{ name: '__name__', value: 'node_load15' }, { name: 'instance', value: 'h9:9100' }], samples: [{ value: 1, timestamp: now + 2000 }] };
    const bad = { labels: [{ name: '__name__', value: 'node_load15' }, { name: 'bad-label', value: 'x' }], samples: [{ value: 1, timestamp: now + 2000 }] };
    expectProblem(await write(encoded({ timeseries: [...known, fresh, bad] })), 400, 'INVALID_LABEL_NAME');
    expect(await samplesStored()).toBe(samplesBefore);
    expect((await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from metric_series'))[0].n).toBe(seriesBefore);
  });

  it('maps DCGM GPU utilisation onto accelerator_utilization and keeps the raw series', async () => {
    const response = await write(encoded({ timeseries: [{ labels: [{ name: '__name__', value: 'DCGM_FI_DEV_GPU_UTIL' }, { name: 'gpu', value: '0' }], samples: [{ value: 75, timestamp: now }] }] }));
    expect(response.statusCode).toBe(204);
    const latest = (await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/metrics/latest`, { token: supplier.token })).json();
    expect(latest.items.find((i: { metric: string }) => i.metric === 'accelerator_utilization')).toMatchObject({ labels: { gpu: '0' }, value: 0.75 });
    expect(latest.items.find((i: { metric: string }) => i.metric === 'DCGM_FI_DEV_GPU_UTIL')).toMatchObject({ value: 75 });
  });

  it('accepts a metadata-only request', async () => {
    const WriteRequest = protobuf.Root.fromJSON({ nested: { W: { fields: { metadata: { rule: 'repeated', type: 'M', id: 3 } } }, M: { fields: { metricFamilyName: { type: 'string', id: 2 } } } } }).lookupType('W');
    const bytes = WriteRequest.encode(WriteRequest.fromObject({ metadata: [{ metricFamilyName: 'node_load1' }] })).finish();
    expect((await write(Buffer.from(snappy.compress(Buffer.from(bytes))))).statusCode).toBe(204);
  });

  describe('refuses bad input with the right 4xx and stores nothing', () => {
    let before = 0;
    beforeAll(async () => {
      before = await samplesStored();
    });

    it('garbage bytes', async () => expectProblem(await write(Buffer.from('definitely not snappy, just some text')), 400, 'INVALID_SNAPPY'));
    it('a truncated snappy frame', async () => {
      const frame = encoded(writeRequest(now, 3, 10, 'truncated_metric'));
      expectProblem(await write(frame.subarray(0, frame.length - 7)), 400, 'INVALID_SNAPPY');
    });
    it('a protobuf of another type', async () => {
      const Other = new protobuf.Type('Other').add(new protobuf.Field('name', 1, 'string')).add(new protobuf.Field('count', 2, 'int32'));
      const bytes = Other.encode(Other.create({ name: 'hello', count: 3 })).finish();
      const response = await write(Buffer.from(snappy.compress(Buffer.from(bytes))));
      expect(response.statusCode).toBe(400);
      expect(['INVALID_PROTOBUF', 'MISSING_METRIC_NAME']).toContain(response.json().code);
    });
    it('a body over the size limit', async () => expectProblem(await write(Buffer.alloc(11 * 1024 * 1024, 1)), 413, 'BODY_TOO_LARGE'));
    it('the wrong content type', async () => expectProblem(await write('abc', ingestToken, { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'));
    it('no token, an unknown token, a user token', async () => {
      const response = await t.inject('POST', '/api/v1/write', { payload: encoded(request), headers: { 'content-type': 'application/x-protobuf' } });
      expectProblem(response, 401, 'INGEST_TOKEN_REQUIRED');
      expectProblem(await write(encoded(request), 'sli_unknown'), 401, 'INVALID_INGEST_TOKEN');
      expectProblem(await write(encoded(request), supplier.token), 401, 'INVALID_INGEST_TOKEN');
    });
    it('timestamps more than 10 minutes in the future', async () =>
      expectProblem(await write(encoded(writeRequest(now + 3_600_000, 2, 2, 'future_metric'))), 400, 'TIMESTAMP_IN_FUTURE'));
    it('a label set too large', async () => {
      const labels = [{ name: '__name__', value: 'wide_metric' }, ...Array.from({ length: 60 }, (_, i) => ({ name: `l${i}`, value: 'x' }))];
      expectProblem(await write(encoded({ timeseries: [{ labels, samples: [{ value: 1, timestamp: now }] }] })), 400, 'LABELS_TOO_LARGE');
    });
    it('NaN and ±Inf values: dropped, counted, the request still succeeds', async () => {
      const response = await write(encoded({ timeseries: [{ labels: [{ name: '__name__', value: 'odd_metric' }], samples: [{ value: Number.NaN, timestamp: now }, { value: Number.POSITIVE_INFINITY, timestamp: now - 1000 }] }] }));
      expect(response.statusCode).toBe(204);
      expect(response.headers['x-suanli-samples-dropped']).toBe('stale=1, non-finite=1');
    });
    it('stored nothing, and the server still answers', async () => {
      expect(await samplesStored()).toBe(before);
      const again = await write(encoded(request));
      expect(again.statusCode).toBe(204);
    });
  });

  it('answers 503 with Retry-After when the database cannot take the samples, and stores them on retry', async () => {
    const database = t.platform.deps.database;
    const retried = encoded(writeRequest(now, 2, 3, 'retry_metric'));
    await database.exec('alter table metric_samples rename to metric_samples_away');
    try {
      const response = await write(retried);
      expectProblem(response, 503, 'STORAGE_UNAVAILABLE');
      expect(response.headers['retry-after']).toBe('5');
    } finally {
      await database.exec('alter table metric_samples_away rename to metric_samples');
    }
    expect((await write(retried)).statusCode).toBe(204);
    const latest = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/series?metric=retry_metric&from=${new Date(now - 60_000).toISOString()}&to=${new Date(now).toISOString()}`, { token: supplier.token });
    expect(latest.json().series.map((s: { points: unknown[] }) => s.points.length)).toEqual([3, 3]);
  });

  it('refuses writes with a revoked token', async () => {
    const revoked = await t.inject('DELETE', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens/${ingestTokenId}`, { token: supplier.token });
    expect(revoked.statusCode).toBe(204);
    const before = await samplesStored();
    expectProblem(await write(encoded(writeRequest(now, 1, 1, 'after_revoke'))), 401, 'INVALID_INGEST_TOKEN');
    expect(await samplesStored()).toBe(before);
    const list = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/ingest-tokens`, { token: supplier.token });
    expect(list.json().items[0].revokedAt).not.toBeNull();
  });

  it('takes JSON pushes from simple agents with the same rules', async () => {
    const created = await t.inject('POST', `/api/v1/facilities/${other.facilityId}/ingest-tokens`, { token: other.token, body: { name: 'agent' } });
    const token = created.json().token as string;
    const push = (body: unknown) => t.inject('POST', '/api/v1/metrics', { body, headers: { authorization: `Bearer ${token}` } });
    const ok = await push({ samples: [{ metric: 'it_power_kw', value: 812.5, ts: now }, { metric: 'pue', value: 1.21, ts: new Date(now).toISOString() }, { metric: 'rack_utilization', labels: { hall: 'A' }, value: 0.8 }] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ accepted: 3, inserted: 3, series: 3 });
    expect((await push({ samples: [{ metric: 'it_power_kw', value: 812.5, ts: now }] })).json().inserted).toBe(0);
    expectProblem(await push({ samples: [{ metric: 'pue', value: 1.2, ts: now + 3_600_000 }] }), 400, 'TIMESTAMP_IN_FUTURE');
    expectProblem(await push({ samples: [{ metric: 'pue' }] }), 400, 'INVALID_REQUEST');
    const latest = (await t.inject('GET', `/api/v1/facilities/${other.facilityId}/metrics/latest`, { token: other.token })).json();
    expect(latest.items.map((i: { metric: string }) => i.metric).sort()).toEqual(['it_power_kw', 'pue', 'rack_utilization']);
    // The first facility's owner cannot read the second's telemetry; the governing province can.
    const foreign = await t.inject('GET', `/api/v1/facilities/${other.facilityId}/metrics/latest`, { token: supplier.token });
    expectProblem(foreign, 403, 'TELEMETRY_NOT_VISIBLE');
  });

  it('picks the resolution from the range and averages buckets', async () => {
    const day = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/series?metric=node_load1&from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 1000).toISOString()}`, { token: supplier.token });
    expect(day.statusCode, day.body).toBe(200);
    expect(day.json()).toMatchObject({ resolution: '5m', stepSeconds: 300, source: 'raw' });
    const points = day.json().series.flatMap((s: { points: unknown[] }) => s.points);
    expect(points.length).toBeGreaterThan(0);
    expect(points.length).toBeLessThan(30);
    const bad = await t.inject('GET', `/api/v1/facilities/${supplier.facilityId}/series?metric=node_load1&from=yesterday`, { token: supplier.token });
    expectProblem(bad, 400, 'INVALID_TIME');
  });

  it('creates day partitions on demand and keeps the default partition empty', async () => {
    const rows = await t.platform.deps.database.query<{ n: number }>('select count(*)::int as n from metric_samples_default');
    expect(rows[0].n).toBe(0);
    const partitions = await t.platform.deps.database.query<{ relname: string }>("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'metric_samples'");
    expect(partitions.map((p) => p.relname)).toContain(`metric_samples_${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}`);
  });
});
