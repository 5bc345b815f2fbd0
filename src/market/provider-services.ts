/** Services of service providers (服务方): model deployment, fine-tuning, application building, attached to offers. */
import { appendAudit, auditOfActor } from '../audit/store.ts';
import type { Deps, RequestContext } from '../deps.ts';
import { notFound, validationFailed } from '../errors.ts';
import type { FieldError } from '../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { newId } from '../ids.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { requireMarketRole } from './access.ts';
import { marketStore, type ServiceRow } from './store.ts';
import { serviceView } from './views.ts';

export const SERVICE_KINDS = ['model_deployment', 'fine_tuning', 'application_building'] as const;
export const SERVICE_UNITS = ['hour', 'month', '1k_tokens', 'project'] as const;

export interface ServiceInput {
  kind: string;
  name: string;
  description?: string;
  offerIds?: string[];
  pricePerUnit?: number;
  unit?: string;
}

export async function createService(deps: Deps, actor: Actor, ctx: RequestContext, input: ServiceInput) {
  requireMarketRole(actor, 'provider', 'NOT_A_PROVIDER', 'lists services');
  const problems: FieldError[] = [];
  if (!(SERVICE_KINDS as readonly string[]).includes(input.kind)) problems.push({ path: '/kind', code: 'UNKNOWN_SERVICE_KIND', message: `kind must be one of ${SERVICE_KINDS.join(', ')}` });
  if (!input.name.trim()) problems.push({ path: '/name', code: 'NAME_REQUIRED', message: 'give the service a name' });
  if (input.pricePerUnit !== undefined && !(Number.isFinite(input.pricePerUnit) && input.pricePerUnit >= 0)) problems.push({ path: '/pricePerUnit', code: 'INVALID_PRICE', message: 'pricePerUnit must be 0 or more CNY' });
  if ((input.pricePerUnit === undefined) !== (input.unit === undefined)) problems.push({ path: '/unit', code: 'PRICE_AND_UNIT', message: 'give pricePerUnit and unit together, or neither (price on request)' });
  if (input.unit !== undefined && !(SERVICE_UNITS as readonly string[]).includes(input.unit)) problems.push({ path: '/unit', code: 'UNKNOWN_UNIT', message: `unit must be one of ${SERVICE_UNITS.join(', ')}` });
  const offerIds = [...new Set(input.offerIds ?? [])];
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const store = marketStore(tx);
    const known = await store.existingOfferIds(offerIds);
    offerIds.forEach((id, i) => {
      if (!known.has(id)) problems.push({ path: `/offerIds/${i}`, code: 'UNKNOWN_OFFER', message: `no offer ${id}: attach offers listed in GET /api/v1/offers` });
    });
    if (problems.length) throw validationFailed('The service cannot be listed.', problems);
    const row: ServiceRow = {
      id: newId('svc'),
      providerOrgId: actor.orgId,
      kind: input.kind,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      offerIds,
      pricePerUnit: input.pricePerUnit ?? null,
      unit: input.unit ?? null,
      status: 'listed',
      version: 1,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    await store.insertServices([row]);
    const { createdAt: _c, updatedAt: _u, ...state } = row;
    await appendAudit(tx, [auditOfActor(actor, now, 'created', 'service', row.id, null, state, ctx.requestId)]);
    return serviceView(row, await store.orgNames([row.providerOrgId]));
  });
}

export async function getService(deps: Deps, id: string) {
  const store = marketStore(deps.db);
  const row = await store.getService(id);
  if (!row) throw notFound('Service', id);
  return serviceView(row, await store.orgNames([row.providerOrgId]));
}

export async function listServices(deps: Deps, query: { kind?: string; provider?: string; offerId?: string; limit?: number; cursor?: string }) {
  const filter = { kind: query.kind?.split(',').map((s) => s.trim()).filter(Boolean), providerOrgId: query.provider, offerId: query.offerId, status: ['listed'] };
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor<{ at: string; id: string }>(query.cursor, 'services', (p) => typeof p.id === 'string' && typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at))) : undefined;
  const store = marketStore(deps.db);
  const [rows, total] = await Promise.all([store.listServices(filter, limit + 1, after ? { createdAt: new Date(after.at), id: after.id } : undefined), store.countServices(filter)]);
  const page = rows.slice(0, limit);
  const names = await store.orgNames(page.map((r) => r.providerOrgId));
  const last = page.at(-1);
  return {
    items: page.map((r) => serviceView(r, names)),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }, 'services') : null,
    total,
  };
}
