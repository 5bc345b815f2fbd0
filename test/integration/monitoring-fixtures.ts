import { expect } from 'vitest';
import { normaliseFacility } from '../../src/ledger/rules.ts';
import { insertLedgerEntries } from '../../src/ledger/service.ts';
import { encodeWriteRequest, type WireTimeSeries } from '../../src/monitoring/remote-write.ts';
import type { TestPlatform } from '../harness.ts';

export const SUPPLIER_PASSWORD = 'Monitor-Test-9x';

/** An organisation, a user of it, and an approved facility it owns (entered directly into the ledger). */
export async function supplierWithFacility(t: TestPlatform, admin: string, key: string, regionCode = '140213') {
  const org = await t.inject('POST', '/api/v1/organizations', { token: admin, body: { name: `监测测试公司 ${key}`, kind: 'enterprise', marketRoles: ['supplier'] } });
  expect(org.statusCode, org.body).toBe(201);
  const orgId = org.json().id as string;
  const user = await t.inject('POST', '/api/v1/users', { token: admin, body: { username: `mon-${key}`, password: SUPPLIER_PASSWORD, orgId } });
  expect(user.statusCode, user.body).toBe(201);
  const token = await t.login(`mon-${key}`, SUPPLIER_PASSWORD);
  const { value } = normaliseFacility({
    name: `监测测试中心 ${key}`,
    regionCode,
    address: '测试地址',
    status: 'in_operation',
    kind: 'intelligent',
    racksDesigned: 100,
    racksInUse: 50,
    accelerators: [],
    storagePb: 1,
    greenPowerPct: 10,
    contacts: [],
  } as never);
  if (!value) throw new Error('fixture facility is invalid');
  const [facilityId] = await insertLedgerEntries(t.platform.deps.db, [{ value, ownerOrgId: orgId }], { actorId: null, actorName: 'test', orgId: null, requestId: 'test' }, 'import', new Date());
  return { orgId, token, facilityId };
}

/** `count` series × `samples` samples, one every 2 s ending at `endMs`, like one Prometheus shard's batch. */
export function writeRequest(endMs: number, count: number, samples: number, metric = 'node_load1'): { timeseries: WireTimeSeries[] } {
  return {
    timeseries: Array.from({ length: count }, (_, i) => ({
      labels: [
        { name: '__name__', value: metric },
        { name: 'instance', value: `10.0.0.${i + 1}:9100` },
        { name: 'job', value: 'node' },
      ],
      samples: Array.from({ length: samples }, (_, j) => ({ value: i + j / 10, timestamp: endMs - (samples - 1 - j) * 2000 })),
    })),
  };
}

export const remoteWriteHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
});

export const encoded = encodeWriteRequest;
