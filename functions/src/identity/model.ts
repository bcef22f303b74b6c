/** Identity records as the identity context stores them (never sent to clients as they are). */
export type UserKind = 'staff' | 'buyer';

export type User = {
  id: string;
  tenantId: string;
  kind: UserKind;
  email: string;
  name: string;
  /** Absent until the user chose a password (invited users). */
  passwordHash?: string;
  emailVerifiedAt?: string;
  status: 'active' | 'disabled';
  /** Staff: role names of the tenant. */
  roles?: string[];
  /** Buyer: the customer account and what this user may do in it. */
  customerId?: string;
  permissions?: string[];
  createdAt: string;
};

export type CustomerStatus = 'active' | 'pending_approval' | 'rejected';

export type Customer = {
  id: string;
  tenantId: string;
  type: 'person' | 'company';
  name: string;
  country: string;
  vatId?: string;
  status: CustomerStatus;
  ownerUserId: string;
  applicationMessage?: string;
  createdAt: string;
};

/** Sessions live in a tenant's partition, or the platform's for operators. */
export type SessionScope = { kind: 'tenant'; tenantId: string } | { kind: 'platform' };

export type Session = {
  /** SHA-256 of the secret in the cookie: safe to show and to key by, useless to replay. */
  id: string;
  scope: SessionScope;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip?: string;
  userAgent?: string;
  /** Merchant staff acting as this buyer. */
  impersonator?: { userId: string; email: string };
};

export type ApiKeyOwner = { kind: 'merchant' } | { kind: 'customer'; customerId: string };

export type ApiKey = {
  id: string;
  tenantId: string;
  name: string;
  owner: ApiKeyOwner;
  scopes: string[];
  secretDigest: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt?: string;
  revokedAt?: string;
};

export type OneTimePurpose = 'verify_email' | 'reset_password' | 'invitation';

export type Operator = {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: string;
};
