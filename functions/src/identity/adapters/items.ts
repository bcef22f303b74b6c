import { PLATFORM_PK, tenantPk } from '../../data/keys.ts';
import type { SessionScope } from '../model.ts';

/*
 * Keys of the identity context's items (docs/data-model.md). Only the identity adapters use them.
 */
export const scopePk = (scope: SessionScope): string =>
  scope.kind === 'tenant' ? tenantPk(scope.tenantId) : PLATFORM_PK;

export const identityKeys = {
  user: (tenantId: string, userId: string) => ({ pk: tenantPk(tenantId), sk: `USER#${userId}` }),
  email: (tenantId: string, email: string) => ({ pk: tenantPk(tenantId), sk: `EMAIL#${email}` }),
  staffMember: (tenantId: string, userId: string) => ({ pk: tenantPk(tenantId), sk: `STAFF#${userId}` }),
  customer: (tenantId: string, customerId: string) => ({
    pk: tenantPk(tenantId),
    sk: `CUSTOMER#${customerId}`,
  }),
  customerMember: (tenantId: string, customerId: string, userId: string) => ({
    pk: tenantPk(tenantId),
    sk: `CUSTOMER#${customerId}#USER#${userId}`,
  }),
  application: (tenantId: string, customerId: string) => ({
    pk: tenantPk(tenantId),
    sk: `APPLICATION#${customerId}`,
  }),
  session: (scope: SessionScope, userId: string, sessionId: string) => ({
    pk: scopePk(scope),
    sk: `USER#${userId}#SESSION#${sessionId}`,
  }),
  sessionsOf: (scope: SessionScope, userId: string) => ({
    pk: scopePk(scope),
    skPrefix: `USER#${userId}#SESSION#`,
  }),
  apiKey: (tenantId: string, keyId: string) => ({ pk: tenantPk(tenantId), sk: `APIKEY#${keyId}` }),
  oneTimeToken: (tenantId: string, digest: string) => ({ pk: tenantPk(tenantId), sk: `TOKEN#${digest}` }),
  role: (tenantId: string, name: string) => ({ pk: tenantPk(tenantId), sk: `ROLE#${name}` }),
  audit: (scope: SessionScope, entryId: string) => ({ pk: scopePk(scope), sk: `AUDIT#${entryId}` }),
  throttle: (scope: SessionScope, key: string, windowStart: number) => ({
    pk: scopePk(scope),
    sk: `THROTTLE#${key}#${windowStart}`,
  }),
  operator: (operatorId: string) => ({ pk: PLATFORM_PK, sk: `OPERATOR#${operatorId}` }),
  operatorEmail: (email: string) => ({ pk: PLATFORM_PK, sk: `OPERATOR_EMAIL#${email}` }),
};

/** Drops the storage keys from an item read back from the table. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as T;
}
