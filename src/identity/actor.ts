import { isWithin } from '../regions/dataset.ts';

export type MarketRole = 'supplier' | 'demander' | 'provider';
export type OrgKind = 'government' | 'enterprise' | 'platform';

/** Who is acting: everything a permission check needs, loaded once per request. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  marketRoles: MarketRole[];
  /** For government users: the region they govern; '000000' is the whole country. */
  jurisdictionCode: string | null;
  tokenId: string;
  tokenKind: 'session' | 'api';
}

export const COUNTRY_CODE = '000000';

/** A government body covers a region when the region lies within its jurisdiction. */
export function governs(actor: Actor, regionCode: string): boolean {
  if (actor.isAdmin) return true;
  if (actor.orgKind !== 'government' || !actor.jurisdictionCode) return false;
  if (actor.jurisdictionCode === COUNTRY_CODE) return true;
  return isWithin(regionCode, actor.jurisdictionCode);
}

export const hasMarketRole = (actor: Actor, role: MarketRole): boolean => actor.marketRoles.includes(role);

export const isGovernment = (actor: Actor): boolean => actor.orgKind === 'government';
