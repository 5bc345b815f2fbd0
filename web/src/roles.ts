/** What a user may see, from docs/api.md's `user`: admin, government reviewer, supplier. */
import type { User } from './types.ts';

export function isSupplier(user: User | null | undefined): boolean {
  return !!user?.marketRoles?.includes('supplier');
}

export function isGovernment(user: User | null | undefined): boolean {
  return user?.orgKind === 'government';
}

export function canRegister(user: User | null | undefined): boolean {
  return !!user && (user.isAdmin || isSupplier(user));
}

export function canReview(user: User | null | undefined): boolean {
  return !!user && (user.isAdmin || isGovernment(user));
}

/** A supplier may ask to change a facility its organisation owns. */
export function canRequestChange(user: User | null | undefined, facility: { ownerOrgId: string }): boolean {
  return !!user && isSupplier(user) && user.orgId === facility.ownerOrgId;
}

/** Alerts concern facility owners (suppliers), the government bodies of their regions and administrators. */
export function canSeeAlerts(user: User | null | undefined): boolean {
  return !!user && (user.isAdmin || isGovernment(user) || isSupplier(user));
}

export type MenuKey = 'overview' | 'facilities' | 'registrationNew' | 'registrations';

export function menuKeys(user: User | null | undefined): MenuKey[] {
  const keys: MenuKey[] = ['overview', 'facilities'];
  if (canRegister(user)) keys.push('registrationNew');
  if (canRegister(user) || canReview(user)) keys.push('registrations');
  return keys;
}

/** The registrations page is a review queue for government users, "my registrations" for suppliers. */
export function registrationsMode(user: User | null | undefined): 'admin' | 'reviewer' | 'supplier' {
  if (user?.isAdmin) return 'admin';
  if (isGovernment(user)) return 'reviewer';
  return 'supplier';
}

export function isDemander(user: User | null | undefined): boolean {
  return !!user?.marketRoles?.includes('demander');
}

/** Posting demands and ordering are the demander's (the API answers others 403 NOT_A_DEMANDER). */
export function canPostDemand(user: User | null | undefined): boolean {
  return isDemander(user);
}

export function canOrder(user: User | null | undefined): boolean {
  return isDemander(user);
}

/** The marketplace pages (算力超市) of the menu, after the ledger's. */
export type MarketMenuKey = 'market' | 'demandNew' | 'demands' | 'myOffers' | 'orders';

export function marketMenuKeys(user: User | null | undefined): MarketMenuKey[] {
  if (!user) return [];
  const keys: MarketMenuKey[] = ['market'];
  if (isDemander(user)) keys.push('demandNew');
  // Demands are seen by their demanders, the governments of the places they name and administrators.
  if (isDemander(user) || isGovernment(user) || user.isAdmin) keys.push('demands');
  if (isSupplier(user)) keys.push('myOffers');
  // Orders concern their two parties, the governments of their facilities and administrators.
  if (user.isAdmin || isGovernment(user) || (user.marketRoles?.length ?? 0) > 0) keys.push('orders');
  return keys;
}
