import { describe, expect, it } from 'vitest';
import { canRequestChange, canReview, menuKeys, registrationsMode } from './roles.ts';
import type { User } from './types.ts';

const user = (over: Partial<User>): User => ({
  id: 'u1',
  username: 'u',
  displayName: 'U',
  isAdmin: false,
  orgId: 'o1',
  orgName: 'Org',
  orgKind: 'enterprise',
  marketRoles: [],
  jurisdictionCode: null,
  ...over,
});

describe('menus by role', () => {
  it('gives suppliers the registration pages', () => {
    expect(menuKeys(user({ marketRoles: ['supplier'] }))).toEqual(['overview', 'facilities', 'registrationNew', 'registrations']);
  });
  it('gives government users the review queue but not the registration form', () => {
    const gov = user({ orgKind: 'government', jurisdictionCode: '140000' });
    expect(menuKeys(gov)).toEqual(['overview', 'facilities', 'registrations']);
    expect(registrationsMode(gov)).toBe('reviewer');
    expect(canReview(gov)).toBe(true);
  });
  it('gives demanders only the public pages', () => {
    expect(menuKeys(user({ marketRoles: ['demander'] }))).toEqual(['overview', 'facilities']);
  });
  it('gives admins everything', () => {
    expect(menuKeys(user({ isAdmin: true, orgKind: 'platform' }))).toHaveLength(4);
  });
  it('lets only the owning supplier request a change', () => {
    expect(canRequestChange(user({ marketRoles: ['supplier'] }), { ownerOrgId: 'o1' })).toBe(true);
    expect(canRequestChange(user({ marketRoles: ['supplier'] }), { ownerOrgId: 'o2' })).toBe(false);
    expect(canRequestChange(user({ marketRoles: ['demander'] }), { ownerOrgId: 'o1' })).toBe(false);
  });
});
