import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointMessage, entryDigest, linkHash, stateDigest } from '../../src/audit/chain.ts';
import { verifyCheckpoint } from '../../src/audit/keys.ts';
import { formatVerify, verifyAudit, writeCheckpoint } from '../../src/audit/service.ts';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

const PASSWORD = 'Audit-Test-9x';

const facility = (name: string) => ({
  name,
  regionCode: '140213',
  address: '山西省大同市平城区',
  status: 'in_operation',
  kind: 'intelligent',
  racksDesigned: 200,
  racksInUse: 100,
  accelerators: [{ model: 'H200', count: 8 }],
  contacts: [{ name: '王工', phone: '0352-0000000' }],
});

describe(`tamper-evident audit log (${databaseKind})`, () => {
  let t: TestPlatform;
  const tokens: Record<string, string> = {};
  const orgs: Record<string, string> = {};
  const deps = () => t.platform.deps;
  const sql = <T = Record<string, unknown>>(statement: string, params: unknown[] = []) => deps().database.query<T>(statement, params);

  beforeAll(async () => {
    t = await createTestPlatform({ env: { SUANLI_AUDIT_CHECKPOINT_MINUTES: '0' } });
    tokens.admin = await t.login('admin', 'Root-Test-Pass-1');
    for (const [key, body] of [
      ['supplierA', { name: '审计供给方A', kind: 'enterprise', marketRoles: ['supplier'] }],
      ['supplierB', { name: '审计供给方B', kind: 'enterprise', marketRoles: ['supplier'] }],
      ['shanxi', { name: '审计山西省数据局', kind: 'government', jurisdictionCode: '140000' }],
    ] as const) {
      const response = await t.inject('POST', '/api/v1/organizations', { token: tokens.admin, body });
      expect(response.statusCode, response.body).toBe(201);
      orgs[key] = response.json().id;
    }
    for (const [username, org] of [['audit-a', 'supplierA'], ['audit-b', 'supplierB'], ['audit-gov', 'shanxi']] as const) {
      const response = await t.inject('POST', '/api/v1/users', { token: tokens.admin, body: { username, password: PASSWORD, orgId: orgs[org] } });
      expect(response.statusCode, response.body).toBe(201);
      tokens[username] = await t.login(username, PASSWORD);
    }
  });
  afterAll(async () => t?.close());

  const submitAndApprove = async (name: string) => {
    const created = await t.inject('POST', '/api/v1/registrations', { token: tokens['audit-a'], body: { type: 'create', data: facility(name), submit: true } });
    expect(created.statusCode, created.body).toBe(201);
    const approved = await t.inject('POST', `/api/v1/registrations/${created.json().id}/approve`, { token: tokens['audit-gov'] });
    expect(approved.statusCode, approved.body).toBe(200);
    return { registrationId: created.json().id as string, facilityId: approved.json().facilityId as string, requestId: approved.headers['x-request-id'] };
  };

  let registrationId = '';
  let facilityId = '';

  it('records API actions as chained entries: identity, registration, approval, tokens', async () => {
    ({ registrationId, facilityId } = await submitAndApprove('审计大同节点一'));
    const token = await t.inject('POST', '/api/v1/auth/tokens', { token: tokens['audit-a'], body: { name: 'audit-ci' } });
    expect(token.statusCode).toBe(201);
    expect((await t.inject('DELETE', `/api/v1/auth/tokens/${token.json().id}`, { token: tokens['audit-a'] })).statusCode).toBe(204);

    const rows = await sql<{ seq: number; action: string; object_type: string; prev_hash: string; hash: string }>('select seq, action, object_type, prev_hash, hash from audit_log order by seq');
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    const actions = rows.map((r) => `${r.object_type}:${r.action}`);
    expect(actions).toEqual(expect.arrayContaining(['organization:created', 'user:created', 'registration:submitted', 'registration:approved', 'facility:created', 'api-token:issued', 'api-token:revoked']));

    const entries = await t.inject('GET', `/api/v1/audit/entries?objectType=registration&objectId=${registrationId}`, { token: tokens['audit-gov'] });
    expect(entries.statusCode, entries.body).toBe(200);
    const approval = entries.json().items.find((e: { action: string }) => e.action === 'approved');
    expect(approval).toMatchObject({ actorRole: 'government', orgId: orgs.shanxi, afterDigest: stateDigest({ status: 'approved', facilityId }) });
    expect(approval.requestId).toBeTruthy();
  });

  it('shows a supplier the entries of its own objects only', async () => {
    expect((await t.inject('GET', `/api/v1/audit/entries?objectType=facility&objectId=${facilityId}`, { token: tokens['audit-a'] })).statusCode).toBe(200);
    const other = await t.inject('GET', `/api/v1/audit/entries?objectType=facility&objectId=${facilityId}`, { token: tokens['audit-b'] });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('AUDIT_NOT_VISIBLE');
    expect((await t.inject('GET', '/api/v1/audit/verify', { token: tokens['audit-gov'] })).statusCode).toBe(403);
  });

  it('verifies OK, signs a checkpoint, and serves a proof a third party can check', async () => {
    expect(formatVerify(await verifyAudit(deps()))).toMatch(/^OK: \d+ entries, 0 checkpoints$/);
    const checkpoint = await writeCheckpoint(deps());
    expect(checkpoint).not.toBeNull();
    expect(await writeCheckpoint(deps())).toBeNull();
    const verified = await t.inject('GET', '/api/v1/audit/verify', { token: tokens.admin });
    expect(verified.json()).toEqual({ ok: true, entries: checkpoint!.seq, checkpoints: 1 });

    const first = (await t.inject('GET', `/api/v1/audit/entries?objectType=registration&objectId=${registrationId}`, { token: tokens['audit-a'] })).json().items[0];
    const proof = (await t.inject('GET', `/api/v1/audit/entries/${first.seq}/proof`, { token: tokens['audit-a'] })).json();
    const key = (await t.inject('GET', '/api/v1/audit/public-key')).json();
    // The steps of docs/audit.md, done by hand.
    const { entry } = proof;
    let hash = linkHash(entry.prevHash, entryDigest({ ...entry, at: new Date(entry.at) }));
    expect(hash).toBe(entry.hash);
    for (const next of proof.following) hash = linkHash(hash, next.entryDigest);
    expect(hash).toBe(proof.checkpoint.hash);
    expect(proof.checkpoint.keyId).toBe(key.keyId);
    expect(verifyCheckpoint(createPublicKey(key.publicKeyPem), checkpointMessage(proof.checkpoint.seq, proof.checkpoint.hash, new Date(proof.checkpoint.at)), proof.checkpoint.signature)).toBe(true);
  });

  it('reports BROKEN at exactly the seq whose row was edited in the database', async () => {
    const [target] = await sql<{ seq: number; after_digest: string }>("select seq, after_digest from audit_log where action = 'approved' and object_type = 'registration' order by seq limit 1");
    await sql('update audit_log set after_digest = $1 where seq = $2', ['f'.repeat(64), target.seq]);
    const result = await verifyAudit(deps());
    expect(result).toMatchObject({ ok: false, brokenAt: Number(target.seq) });
    expect(formatVerify(result)).toMatch(new RegExp(`^BROKEN at seq ${target.seq}: `));
    await sql('update audit_log set after_digest = $1 where seq = $2', [target.after_digest, target.seq]);
    expect((await verifyAudit(deps())).ok).toBe(true);
  });

  it('catches a deleted row, a deleted tail behind a checkpoint, and a forged checkpoint signature', async () => {
    await submitAndApprove('审计大同节点二');
    const rows = await sql<Record<string, unknown>>('select * from audit_log order by seq');
    const victim = rows[3];
    await sql('delete from audit_log where seq = $1', [victim.seq]);
    expect(await verifyAudit(deps())).toMatchObject({ ok: false, brokenAt: Number(victim.seq) });
    const columns = Object.keys(victim);
    await sql(`insert into audit_log (${columns.join(',')}) values (${columns.map((_, i) => `$${i + 1}`).join(',')})`, columns.map((c) => victim[c]));
    expect((await verifyAudit(deps())).ok).toBe(true);

    // Truncating the newest entries back to before the checkpoint leaves the signed checkpoint past the end.
    const [checkpoint] = await sql<{ seq: number; signature: string }>('select seq, signature from audit_checkpoints order by seq desc limit 1');
    const tail = await sql<Record<string, unknown>>('select * from audit_log where seq >= $1 order by seq', [checkpoint.seq]);
    await sql('delete from audit_log where seq >= $1', [checkpoint.seq]);
    expect(await verifyAudit(deps())).toMatchObject({ ok: false, brokenAt: Number(checkpoint.seq) });
    for (const row of tail) await sql(`insert into audit_log (${columns.join(',')}) values (${columns.map((_, i) => `$${i + 1}`).join(',')})`, columns.map((c) => row[c]));

    const forged = Buffer.from(checkpoint.signature, 'base64');
    forged[0] ^= 0xff;
    await sql('update audit_checkpoints set signature = $1 where seq = $2', [forged.toString('base64'), checkpoint.seq]);
    const result = await verifyAudit(deps());
    expect(result).toMatchObject({ ok: false, brokenAt: Number(checkpoint.seq) });
    expect(formatVerify(result)).toMatch(/signature/);
    await sql('update audit_checkpoints set signature = $1 where seq = $2', [checkpoint.signature, checkpoint.seq]);
    expect((await verifyAudit(deps())).ok).toBe(true);
  });

  it.runIf(databaseKind === 'postgres')('refuses to sign checkpoints on PostgreSQL without SUANLI_AUDIT_SIGNING_KEY', async () => {
    const unsigned = { ...deps(), config: { ...deps().config, auditSigningKey: null } };
    await expect(writeCheckpoint(unsigned)).rejects.toMatchObject({ code: 'AUDIT_SIGNING_KEY_MISSING' });
  });

  it('keeps one valid chain under concurrent approvals', async () => {
    const created = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const response = await t.inject('POST', '/api/v1/registrations', { token: tokens['audit-a'], body: { type: 'create', data: facility(`审计并发节点${i}`), submit: true } });
        expect(response.statusCode, response.body).toBe(201);
        return response.json().id as string;
      }),
    );
    const approvals = await Promise.all(created.map((id) => t.inject('POST', `/api/v1/registrations/${id}/approve`, { token: tokens['audit-gov'] })));
    expect(approvals.map((r) => r.statusCode)).toEqual(created.map(() => 200));
    const result = await verifyAudit(deps());
    expect(result.ok, formatVerify(result)).toBe(true);
    const approved = await sql<{ n: number }>("select count(*)::int as n from audit_log where object_type = 'registration' and action = 'approved'");
    expect(approved[0].n).toBeGreaterThanOrEqual(14);
  });
});
