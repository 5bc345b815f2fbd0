import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { forbidden } from '../errors.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors, Nullable } from '../http/types.ts';
import { entryProof, listEntries, publicKey, verifyAudit } from './service.ts';

const Entry = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actorId: Nullable(Type.String()),
    actorName: Nullable(Type.String()),
    actorRole: Nullable(Type.String()),
    orgId: Nullable(Type.String()),
    action: Type.String(),
    objectType: Type.String(),
    objectId: Type.String(),
    beforeDigest: Nullable(Type.String()),
    afterDigest: Nullable(Type.String()),
    requestId: Nullable(Type.String()),
    entryDigest: Type.String({ description: 'SHA-256 of the canonical JSON of the fields above (docs/audit.md)' }),
    prevHash: Type.String(),
    hash: Type.String({ description: 'SHA-256 of "prevHash:entryDigest"' }),
  },
  { $id: 'AuditEntry' },
);
const Checkpoint = Type.Object(
  { seq: Type.Integer(), hash: Type.String(), at: Type.String({ format: 'date-time' }), signature: Type.String({ description: 'base64 Ed25519' }), keyId: Type.String() },
  { $id: 'AuditCheckpoint' },
);

export function auditRoutes(app: App, deps: Deps) {
  app.addSchema(Entry);
  app.addSchema(Checkpoint);

  app.get(
    '/api/v1/audit/public-key',
    {
      schema: {
        tags: ['audit'],
        summary: 'The Ed25519 public key that signs audit checkpoints',
        security: [],
        response: { 200: Type.Object({ algorithm: Type.String(), keyId: Type.String(), publicKeyPem: Type.String() }), ...errors(409) },
      },
    },
    async () => publicKey(deps),
  );

  app.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Walk the whole audit chain and every checkpoint (administrators); same result as `suanli audit verify`',
        response: {
          200: Type.Object({ ok: Type.Boolean(), entries: Type.Integer(), checkpoints: Type.Integer(), brokenAt: Type.Optional(Type.Integer()), problem: Type.Optional(Type.String()) }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      if (!actorOf(request).isAdmin) throw forbidden('ADMIN_ONLY', 'Only a platform administrator can run the verification over the API; anyone with database access can run `suanli audit verify`.');
      return verifyAudit(deps);
    },
  );

  app.get(
    '/api/v1/audit/entries',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit entries of one object, oldest first (government, administrators; suppliers for their own facilities and registrations)',
        querystring: Type.Object(
          {
            objectType: Type.String({ minLength: 1, maxLength: 50 }),
            objectId: Type.String({ minLength: 1, maxLength: 100 }),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('AuditEntry')), nextCursor: Nullable(Type.String()) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => listEntries(deps, actorOf(request), request.query.objectType, request.query.objectId, request.query.limit ?? 100, request.query.cursor),
  );

  app.get(
    '/api/v1/audit/entries/:seq/proof',
    {
      schema: {
        tags: ['audit'],
        summary: 'Proof that an entry is covered by a signed checkpoint: the entry, the digests and hashes after it up to the checkpoint, the checkpoint',
        params: Type.Object({ seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: {
          200: Type.Object({
            entry: Type.Ref('AuditEntry'),
            following: Type.Array(Type.Object({ seq: Type.Integer(), entryDigest: Type.String(), hash: Type.String() })),
            checkpoint: Nullable(Type.Ref('AuditCheckpoint')),
            publicKey: Nullable(Type.String()),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => entryProof(deps, actorOf(request), request.params.seq),
  );
}
