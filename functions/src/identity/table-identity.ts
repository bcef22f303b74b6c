import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Tenant } from '#shared/tenants/tenant.ts';
import { systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient } from '../aws/clients.ts';
import { requiredEnv, tableName } from '../aws/environment.ts';
import type { RequestAuthenticator } from '../http/authentication.ts';
import { emailSender } from '../notifications/adapters/ses-email-sender.ts';
import { DynamoDbTenantRepository } from '../tenants/adapters/dynamodb-tenant-repository.ts';
import { DynamoDbApiKeyRepository } from './adapters/dynamodb-api-key-repository.ts';
import { DynamoDbAuditLog } from './adapters/dynamodb-audit-log.ts';
import { DynamoDbCustomerRepository } from './adapters/dynamodb-customer-repository.ts';
import { DynamoDbLoginThrottle } from './adapters/dynamodb-login-throttle.ts';
import { DynamoDbOneTimeTokenRepository } from './adapters/dynamodb-one-time-token-repository.ts';
import { DynamoDbOperatorRepository } from './adapters/dynamodb-operator-repository.ts';
import { DynamoDbRoleRepository } from './adapters/dynamodb-role-repository.ts';
import { DynamoDbSessionRepository } from './adapters/dynamodb-session-repository.ts';
import { DynamoDbUserRepository } from './adapters/dynamodb-user-repository.ts';
import { resolvePrincipal, storeTenant } from './authenticate.ts';
import { DEFAULT_POLICY, type IdentityDeps } from './identity-deps.ts';

/** The identity context on a table: DynamoDB adapters, SES, the system clock, default policy. */
export function buildIdentityDeps(
  client: DynamoDBDocumentClient,
  table: string,
  publicUrl: string,
  overrides: Partial<IdentityDeps> = {},
): IdentityDeps {
  return {
    tenants: new DynamoDbTenantRepository(client, table),
    users: new DynamoDbUserRepository(client, table),
    customers: new DynamoDbCustomerRepository(client, table),
    sessions: new DynamoDbSessionRepository(client, table),
    apiKeys: new DynamoDbApiKeyRepository(client, table),
    tokens: new DynamoDbOneTimeTokenRepository(client, table),
    roles: new DynamoDbRoleRepository(client, table),
    audit: new DynamoDbAuditLog(client, table),
    throttle: new DynamoDbLoginThrottle(client, table, (overrides.policy ?? DEFAULT_POLICY).throttleWindowMs),
    operators: new DynamoDbOperatorRepository(client, table),
    email: emailSender(),
    clock: systemClock,
    policy: DEFAULT_POLICY,
    publicUrl,
    ...overrides,
  };
}

let tableDeps: IdentityDeps | undefined;
/** The identity context of this function instance (one per Lambda container). */
export function tableIdentity(): IdentityDeps {
  tableDeps ??= buildIdentityDeps(dynamoDocumentClient(), tableName(), requiredEnv('PUBLIC_URL'));
  return tableDeps;
}

/** Tenants change rarely; a short per-instance cache spares a read on every request. */
const TENANT_CACHE_MS = 30_000;

export function authenticatorFor(deps: IdentityDeps): RequestAuthenticator {
  const tenants = new Map<string, { tenant: Tenant; at: number }>();
  return {
    async tenantOf(slug) {
      const now = deps.clock.now().getTime();
      const cached = tenants.get(slug);
      if (cached && now - cached.at < TENANT_CACHE_MS) return cached.tenant;
      const tenant = await storeTenant(deps, slug);
      tenants.set(slug, { tenant, at: now });
      return tenant;
    },
    principalOf(event: APIGatewayProxyEventV2, tenant, lenient) {
      return resolvePrincipal(
        deps,
        {
          method: event.requestContext.http.method,
          cookies: event.cookies,
          authorization: event.headers?.authorization,
          origin: event.headers?.origin,
          secFetchSite: event.headers?.['sec-fetch-site'],
          host: event.headers?.['x-forwarded-host'] ?? event.headers?.host,
        },
        tenant,
        { lenient },
      );
    },
  };
}

let tableAuth: RequestAuthenticator | undefined;
/** `httpHandler(op, impl, { authenticator: tableAuthenticator })` */
export function tableAuthenticator(): RequestAuthenticator {
  tableAuth ??= authenticatorFor(tableIdentity());
  return tableAuth;
}
