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
