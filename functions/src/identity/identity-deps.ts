import type { Clock } from '#shared/time/clock.ts';
import type { EmailSender } from '../notifications/email.ts';
import type { TenantRepository } from '../tenants/tenant-repository.ts';
import type { DynamoDbApiKeyRepository } from './adapters/dynamodb-api-key-repository.ts';
import type { DynamoDbAuditLog } from './adapters/dynamodb-audit-log.ts';
import type { DynamoDbCustomerRepository } from './adapters/dynamodb-customer-repository.ts';
import type { DynamoDbLoginThrottle } from './adapters/dynamodb-login-throttle.ts';
import type { DynamoDbOneTimeTokenRepository } from './adapters/dynamodb-one-time-token-repository.ts';
import type { DynamoDbOperatorRepository } from './adapters/dynamodb-operator-repository.ts';
import type { DynamoDbRoleRepository } from './adapters/dynamodb-role-repository.ts';
import type { DynamoDbSessionRepository } from './adapters/dynamodb-session-repository.ts';
import type { DynamoDbUserRepository } from './adapters/dynamodb-user-repository.ts';

/** Policy numbers of the identity context, in one place. */
export type IdentityPolicy = {
  sessionTtlMs: number;
  /** Failed logins allowed per account / per IP address within one throttle window. */
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  /** Password-reset mails per address within one throttle window. */
  maxResetMailsPerWindow: number;
  throttleWindowMs: number;
  verificationTtlMs: number;
  resetTtlMs: number;
  invitationTtlMs: number;
};

export const DEFAULT_POLICY: IdentityPolicy = {
  sessionTtlMs: 7 * 24 * 3600_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 30,
  maxResetMailsPerWindow: 3,
  throttleWindowMs: 15 * 60_000,
  verificationTtlMs: 48 * 3600_000,
  resetTtlMs: 60 * 60_000,
  invitationTtlMs: 7 * 24 * 3600_000,
};

/** Everything the identity use cases need: repositories (ports), email, clock, policy, public URL. */
export type IdentityDeps = {
  tenants: TenantRepository;
  users: DynamoDbUserRepository;
  customers: DynamoDbCustomerRepository;
  sessions: DynamoDbSessionRepository;
  apiKeys: DynamoDbApiKeyRepository;
  tokens: DynamoDbOneTimeTokenRepository;
  roles: DynamoDbRoleRepository;
  audit: DynamoDbAuditLog;
  throttle: DynamoDbLoginThrottle;
  operators: DynamoDbOperatorRepository;
  email: EmailSender;
  clock: Clock;
  policy: IdentityPolicy;
  /** Where the web app is, for links in emails and for the CSRF origin check. */
  publicUrl: string;
};
