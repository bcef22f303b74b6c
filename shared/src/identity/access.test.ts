import { describe, expect, it } from 'vitest';
import { authorize, type Grant } from './access.ts';
import type { Principal } from './principal.ts';

const staff = (permissions: string[], tenantId = 'ten_a'): Principal => ({
  kind: 'staff',
  tenantId,
  userId: 'usr_1',
  email: 's@x',
  roles: [],
  permissions,
  sessionId: 's',
});
const buyer: Principal = {
  kind: 'buyer',
  tenantId: 'ten_a',
  customerId: 'cus_1',
  userId: 'usr_2',
  email: 'b@x',
  permissions: ['orders:create'],
  sessionId: 's',
};
const key: Principal = {
  kind: 'apiKey',
  tenantId: 'ten_a',
  keyId: 'key_1',
  owner: { kind: 'merchant' },
  scopes: ['catalog:read'],
};
const operator: Principal = { kind: 'operator', operatorId: 'opr_1', email: 'o@x', sessionId: 's' };

const code = (fn: () => void) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('authorize', () => {
  const catalogManagers: Grant[] = [
    { kind: 'staff', permission: 'catalog:manage' },
    { kind: 'apiKey', scope: 'catalog:read' },
  ];

  it('lets anyone through a public operation', () => {
    expect(code(() => authorize([{ kind: 'anonymous' }], { kind: 'anonymous' }, 'ten_a'))).toBe('allowed');
  });

  it('asks anonymous callers to authenticate (401)', () => {
    expect(code(() => authorize(catalogManagers, { kind: 'anonymous' }, 'ten_a'))).toBe(
      'authentication_required',
    );
  });

  it('admits a principal holding any one grant', () => {
    expect(code(() => authorize(catalogManagers, staff(['catalog:manage']), 'ten_a'))).toBe('allowed');
    expect(code(() => authorize(catalogManagers, key, 'ten_a'))).toBe('allowed');
  });

  it('refuses another store’s principal whatever its permissions (403)', () => {
    expect(code(() => authorize(catalogManagers, staff(['catalog:manage'], 'ten_b'), 'ten_a'))).toBe(
      'wrong_store',
    );
  });

  it('names the missing permission, or says the kind of caller is not admitted', () => {
    expect(code(() => authorize(catalogManagers, staff(['orders:read']), 'ten_a'))).toBe(
      'permission_required',
    );
    expect(code(() => authorize(catalogManagers, buyer, 'ten_a'))).toBe('not_allowed');
    expect(code(() => authorize(catalogManagers, operator, 'ten_a'))).toBe('not_allowed');
    expect(code(() => authorize([{ kind: 'operator' }], operator, undefined))).toBe('allowed');
    expect(code(() => authorize([{ kind: 'operator' }], staff(['catalog:manage']), undefined))).toBe(
      'wrong_store',
    );
  });
});
