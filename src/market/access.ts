/**
 * Who sees what in the marketplace (docs/market.md § Visibility). Offers — prices and free
 * capacity — are shown to every signed-in user: a market that hides its prices from its buyers is
 * no market. Demands are the demander's business: its organisation, administrators and the
 * government whose jurisdiction covers the place the demand names. Orders (contracts), their usage
 * and settlement: the two parties, administrators and the government whose jurisdiction covers the
 * facility.
 */
import { badRequest, forbidden } from '../errors.ts';
import { type Actor, COUNTRY_CODE, governs, hasMarketRole, type MarketRole } from '../identity/actor.ts';
import { regionIndex } from '../regions/dataset.ts';
import type { DemandRow, OrderRow, RegionScope } from './store.ts';

export function regionScopeOf(code: string): RegionScope {
  const region = regionIndex().get(code);
  if (!region) throw badRequest('UNKNOWN_REGION', `Unknown region code ${JSON.stringify(code)}: use a GB/T 2260 code from GET /api/v1/regions (e.g. 140000 山西, 140200 大同).`);
  return { level: region.level, code: region.code };
}

/** The region a government caller's lists are limited to: null for the whole country (and administrators). */
export function jurisdictionScope(actor: Actor): RegionScope | null {
  if (actor.isAdmin || !actor.jurisdictionCode || actor.jurisdictionCode === COUNTRY_CODE) return null;
  return regionScopeOf(actor.jurisdictionCode);
}

export const isGovernmentActor = (actor: Actor) => actor.orgKind === 'government' && !!actor.jurisdictionCode;

export function canSeeOrder(actor: Actor, order: Pick<OrderRow, 'buyerOrgId' | 'supplierOrgId' | 'regionCode'>): boolean {
  return actor.isAdmin || order.buyerOrgId === actor.orgId || order.supplierOrgId === actor.orgId || (isGovernmentActor(actor) && governs(actor, order.regionCode));
}

export function canSeeDemand(actor: Actor, demand: Pick<DemandRow, 'demanderOrgId' | 'regionCode'>): boolean {
  if (actor.isAdmin || demand.demanderOrgId === actor.orgId) return true;
  if (!isGovernmentActor(actor)) return false;
  // A demand naming no place is the national government's to see.
  return demand.regionCode ? governs(actor, demand.regionCode) : actor.jurisdictionCode === COUNTRY_CODE;
}

export function requireMarketRole(actor: Actor, role: MarketRole, code: string, what: string): void {
  if (!hasMarketRole(actor, role)) throw forbidden(code, `Only an organisation with the ${role} market role ${what}; ask an administrator to give your organisation the ${role} role.`);
}
