import { describe, expect, it } from 'vitest';
import { canOrder, canRequestChange, canReview, marketMenuKeys, menuKeys, registrationsMode } from './roles.ts';
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

describe('marketplace menus by role', () => {
  it('gives demanders the market, the demand form, their demands and orders', () => {
    expect(marketMenuKeys(user({ marketRoles: ['demander'] }))).toEqual(['market', 'demandNew', 'demands', 'orders']);
  });
  it('gives suppliers the market, their offers and orders', () => {
    expect(marketMenuKeys(user({ marketRoles: ['supplier', 'provider'] }))).toEqual(['market', 'myOffers', 'orders']);
  });
  it('gives government bodies and administrators the demands and orders to watch', () => {
    expect(marketMenuKeys(user({ orgKind: 'government', jurisdictionCode: '140000' }))).toEqual(['market', 'demands', 'orders']);
    expect(marketMenuKeys(user({ isAdmin: true, orgKind: 'platform' }))).toEqual(['market', 'demands', 'orders']);
    expect(canOrder(user({ isAdmin: true }))).toBe(false);
  });
  it('shows the market to an enterprise without market roles, and nothing to nobody', () => {
    expect(marketMenuKeys(user({}))).toEqual(['market']);
    expect(marketMenuKeys(null)).toEqual([]);
  });
});
